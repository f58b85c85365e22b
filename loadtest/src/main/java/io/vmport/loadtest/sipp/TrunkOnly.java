package io.vmport.loadtest.sipp;

import io.vmport.sip.EndReason;
import io.vmport.sip.SipCall;
import io.vmport.sip.SipTrunk;
import io.vmport.sip.SipTrunkListener;
import io.vmport.sip.SipTrunkSettings;
import java.util.concurrent.CountDownLatch;
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
 * With {@code --shed-all} the trunk takes one call (the first INVITE), never answers it, and holds at most one
 * call, so that every later INVITE is refused by its gate with a stateless 503 (issue 16 item 6: what one shed call
 * costs, the node's side of the overload ceiling).
 */
public final class TrunkOnly {
    private static final int RTP_PORT = 40_000;

    private TrunkOnly() {
    }

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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trunk.stop();
            System.out.printf("trunk-only: %d answered, %d ended, %s%n", answered.sum(), ended.sum(),
                    trunk.counters());
            stopped.countDown();
        }));
        System.out.printf("trunk-only: SIP on 127.0.0.1:%d (UDP, TCP), %s%n", port,
                shedAll ? "holding one call unanswered and shedding every other" : "answering every call");
        stopped.await();
    }
}
