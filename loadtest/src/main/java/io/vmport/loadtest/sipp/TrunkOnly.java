package io.vmport.loadtest.sipp;

import io.vmport.sip.EndReason;
import io.vmport.sip.SipCall;
import io.vmport.sip.SipTrunk;
import io.vmport.sip.SipTrunkListener;
import io.vmport.sip.SipTrunkSettings;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SIP adapter alone, with no engine behind it (issue 5, Performance): a {@link SipTrunk} with the trunk's
 * default settings whose listener answers every INVITE at once on the SIP thread. Run beside the demo, under the
 * same SIPp load, it splits what a call costs into the stack's part and the engine's part (router, pipeline,
 * journal, database). Loopback only; stops on SIGINT/SIGTERM.
 *
 * <pre>
 * java -Xms2g -Xmx2g -cp loadtest/target/benchmarks.jar io.vmport.loadtest.sipp.TrunkOnly [--port 5070] [--shed-all]
 * </pre>
 *
 * With {@code --shed-all} the trunk holds at most one call, and takes that one itself at start (an INVITE it sends
 * from a socket of its own, never answered), so that every INVITE from the load is refused by its gate with a
 * stateless 503 (issue 16 item 6: what one shed call costs, the node's side of the overload ceiling).
 */
public final class TrunkOnly {
    private static final int RTP_PORT = 40_000;

    private TrunkOnly() {
    }

    /** Sends the trunk one INVITE from a socket of its own (kept open, responses unread) and waits for its offer. */
    private static DatagramSocket holdOneCall(int port) throws Exception {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        String local = "127.0.0.1:" + socket.getLocalPort();
        String invite = "INVITE sip:held@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-held\r\nMax-Forwards: 70\r\n"
                + "From: <sip:held@" + local + ">;tag=held\r\nTo: <sip:held@127.0.0.1:" + port + ">\r\n"
                + "Call-ID: held@" + local + "\r\nCSeq: 1 INVITE\r\nContact: <sip:held@" + local + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] bytes = invite.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (HELD.getCount() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("trunk-only: the held call was not offered within 10 s");
            }
            HELD.await(100, TimeUnit.MILLISECONDS);
        }
        return socket;
    }

    private static final CountDownLatch HELD = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        int port = 5070;
        boolean shedAll = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--shed-all" -> shedAll = true;
                default -> throw new IllegalArgumentException("trunk-only: unknown argument " + args[i]
                        + ": allowed --port N, --shed-all");
            }
        }
        boolean answer = !shedAll;
        LongAdder answered = new LongAdder();
        LongAdder ended = new LongAdder();
        SipTrunkListener answerAll = new SipTrunkListener() {
            @Override
            public void onInvite(SipCall call) {
                HELD.countDown();
                if (answer && call.answer(RTP_PORT)) {
                    answered.increment();
                }
            }

            @Override
            public void onConnected(SipCall call) {
            }

            @Override
            public void onEnded(SipCall call, EndReason reason) {
                ended.increment();
            }

            @Override
            public boolean takingCalls() {
                return true;
            }
        };
        SipTrunkSettings settings = SipTrunkSettings.of("127.0.0.1", port, a -> a.isLoopbackAddress());
        SipTrunk trunk = new SipTrunk(shedAll ? settings.withMaxCalls(1) : settings, answerAll);
        trunk.start();
        DatagramSocket holder = shedAll ? holdOneCall(port) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trunk.stop();
            if (holder != null) {
                holder.close();
            }
            System.out.printf("trunk-only: %d answered, %d ended, %s%n", answered.sum(), ended.sum(),
                    trunk.counters());
            stopped.countDown();
        }));
        System.out.printf("trunk-only: SIP on 127.0.0.1:%d (UDP, TCP), %s%n", port,
                shedAll ? "holding one call unanswered and shedding every other" : "answering every call");
        stopped.await();
    }
}
