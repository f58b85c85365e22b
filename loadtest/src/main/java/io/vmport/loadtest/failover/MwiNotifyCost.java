package io.vmport.loadtest.failover;

import io.vmport.sip.EndReason;
import io.vmport.sip.MwiNotifier;
import io.vmport.sip.MwiSettings;
import io.vmport.sip.MwiState;
import io.vmport.sip.SipCall;
import io.vmport.sip.SipTrunk;
import io.vmport.sip.SipTrunkListener;
import io.vmport.sip.SipTrunkSettings;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What MW-3's NOTIFYs cost the JVM that runs the trunk (issue 14), apart from calls and the failover: one
 * {@link SipTrunk} on loopback sends {@code N} NOTIFYs through {@link MwiNotifier#sendAll} to a receiver thread in
 * the same JVM that answers each 200 at once; after the last answer it waits {@code --linger-s} (the stack's Timer K
 * and table clean-up). Prints the bytes allocated by every thread but the receiver's (HotSpot's per-thread
 * counters: threads that ended meanwhile are not counted), the CPU time of the JVM less the receiver's, and the
 * young collections, each per NOTIFY. Run it with the classes of the build to measure:
 *
 * <pre>
 * java -Xms256m -Xmx256m -cp loadtest/target/classes:engine/target/vmport.jar \
 *      io.vmport.loadtest.failover.MwiNotifyCost [--notifies 10000] [--rate 2000] [--linger-s 7] [--rounds 3]
 * </pre>
 */
public final class MwiNotifyCost {

    private MwiNotifyCost() {
    }

    public static void main(String[] args) throws Exception {
        int notifies = 10_000;
        int rate = MwiSettings.DEFAULT_SENDS_PER_SECOND;
        int lingerS = 7;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--notifies" -> notifies = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--linger-s" -> lingerS = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --notifies, --rate, --linger-s, --rounds");
            }
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int trunkPort;
        try (DatagramSocket probe = new DatagramSocket(0, loopback)) {
            trunkPort = probe.getLocalPort();
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", trunkPort, InetAddress::isLoopbackAddress),
                new NoCalls());
        try (DatagramSocket pbx = new DatagramSocket(0, loopback)) {
            trunk.start();
            Receiver receiver = new Receiver(pbx);
            Thread receiving = new Thread(receiver, "mwi-cost-pbx");
            receiving.setDaemon(true);
            receiving.start();
            MwiSettings settings = MwiSettings.of("127.0.0.1", pbx.getLocalPort())
                    .withPacing(rate, MwiSettings.DEFAULT_MAX_IN_FLIGHT);
            try (MwiNotifier notifier = trunk.mwiNotifier(settings, (state, attempts, last) -> { })) {
                for (int round = 0; round <= rounds; round++) {
                    List<MwiState> states = new ArrayList<>(notifies);
                    for (int i = 0; i < notifies; i++) {
                        states.add(new MwiState(Integer.toString(20_000 + i), i % 3, i % 5));
                    }
                    long allocated0 = allocated(threads, receiving.getId());
                    long cpu0 = processCpuNs() - threads.getThreadCpuTime(receiving.getId());
                    ProcCpu.Snapshot threads0 = ProcCpu.threads(ProcessHandle.current().pid());
                    long gcs0 = collections();
                    long answered0 = notifier.answered();
                    long startNs = System.nanoTime();
                    notifier.sendAll(states);
                    long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(60);
                    while (notifier.answered() - answered0 < notifies) {
                        if (System.nanoTime() - deadlineNs > 0) {
                            throw new IllegalStateException("round " + round + ": " + notifier + " after 60 s");
                        }
                        Thread.sleep(5);
                    }
                    long sendMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
                    Thread.sleep(TimeUnit.SECONDS.toMillis(lingerS));
                    long bytes = allocated(threads, receiving.getId()) - allocated0;
                    long cpuNs = processCpuNs() - threads.getThreadCpuTime(receiving.getId()) - cpu0;
                    long gcs = collections() - gcs0;
                    System.out.printf(Locale.ROOT, "%s %d NOTIFYs in %d ms (+%d s linger): %,d bytes allocated "
                            + "(%,d per NOTIFY), CPU %d ms (%.1f us per NOTIFY), %d collections; stack client "
                            + "transactions now %d%n", round == 0 ? "warm-up" : "round " + round, notifies, sendMs,
                            lingerS, bytes, bytes / notifies, cpuNs / 1_000_000, cpuNs / 1_000.0 / notifies, gcs,
                            trunk.stackTables().clientTransactions());
                    System.out.println("  CPU by thread over the round: " + ProcCpu.top(threads0,
                            ProcCpu.threads(ProcessHandle.current().pid()), 5).replace("\n", "\n  "));
                }
            }
            receiver.stop = true;
        } finally {
            trunk.stop();
        }
        // The figures are printed by now: end the JVM whatever threads a stopped stack may leave.
        System.exit(0);
    }

    private static long allocated(com.sun.management.ThreadMXBean threads, long except) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            if (id != except) {
                sum += Math.max(0, threads.getThreadAllocatedBytes(id));
            }
        }
        return sum;
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** The PBX: answers every NOTIFY 200 with its Via, From, To, Call-ID and CSeq. */
    private static final class Receiver implements Runnable {
        private final DatagramSocket socket;
        volatile boolean stop;

        Receiver(DatagramSocket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            while (!stop) {
                try {
                    in.setLength(buffer.length);
                    socket.receive(in);
                    String request = new String(buffer, 0, in.getLength(), StandardCharsets.US_ASCII);
                    StringBuilder answer = new StringBuilder("SIP/2.0 200 OK\r\n");
                    for (String line : request.split("\r\n")) {
                        String name = line.toLowerCase(Locale.ROOT);
                        if (name.startsWith("via:") || name.startsWith("from:") || name.startsWith("call-id:")
                                || name.startsWith("cseq:")) {
                            answer.append(line).append("\r\n");
                        } else if (name.startsWith("to:")) {
                            answer.append(line).append(";tag=pbx\r\n");
                        }
                    }
                    byte[] out = answer.append("Content-Length: 0\r\n\r\n").toString()
                            .getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
                } catch (java.io.IOException e) {
                    if (!stop && !socket.isClosed()) {
                        System.err.println("receiver: " + e);
                    }
                    return;
                }
            }
        }
    }

    private static final class NoCalls implements SipTrunkListener {
        @Override
        public void onInvite(SipCall call) {
            // no calls are made here
        }

        @Override
        public void onConnected(SipCall call) {
        }

        @Override
        public void onEnded(SipCall call, EndReason reason) {
        }

        @Override
        public boolean takingCalls() {
            return false;
        }
    }
}
