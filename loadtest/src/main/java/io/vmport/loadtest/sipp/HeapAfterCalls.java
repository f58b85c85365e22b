package io.vmport.loadtest.sipp;

import io.vmport.config.Integration;
import io.vmport.engine.node.DemoCluster;
import io.vmport.engine.node.Node;
import io.vmport.sip.SipTrunk;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Issue 5's memory check: a demo cluster in this JVM takes {@code --first} calls from SIPp's {@code uac}, then
 * {@code --total} in all; after each, once every call has ended and the stack's timers have emptied its tables,
 * two full GCs and the used heap. No dialog or transaction may leak: the heap after all the calls must be within
 * 10% of the heap after the first ones.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp loadtest/target/benchmarks.jar io.vmport.loadtest.sipp.HeapAfterCalls \
 *     --first 10000 --total 200000 --rate 2000 --work /tmp/heap-run
 * </pre>
 * Failed calls are reported, not fatal: what is measured is what the calls left behind. Exit status 0 when within
 * 10%, 1 when not, 2 on bad arguments or when SIPp completed no call.
 */
public final class HeapAfterCalls {

    /** The stack keeps a UDP BYE's server transaction 32 s (Timer J); wait past it for tables to empty. */
    private static final long DRAIN_DEADLINE_MS = 90_000;

    private HeapAfterCalls() {
    }

    public static void main(String[] args) throws Exception {
        int first = 10_000;
        int total = 200_000;
        int rate = 2_000;
        int ports = 2_000;
        Path work = Path.of("/tmp/heap-after-calls");
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                usage("missing value for " + args[i]);
            }
            switch (args[i]) {
                case "--first" -> first = Integer.parseInt(value);
                case "--total" -> total = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--ports" -> ports = Integer.parseInt(value);
                case "--work" -> work = Path.of(value);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (first < 1 || total <= first) {
            usage("--first=" + first + " --total=" + total + ": need 1 <= first < total");
        }
        Files.createDirectories(work);
        DemoCluster.Layout layout = DemoCluster.Layout.defaults();
        try (DemoCluster demo = DemoCluster.start(work.resolve("data"), Integration.SIP_TRUNK, ports, "heap",
                layout)) {
            Node publisher = demo.publisher();
            long heapFirst = callsThenHeap(publisher, layout.publisherSip(), first, rate, work, "first");
            long heapAll = callsThenHeap(publisher, layout.publisherSip(), total - first, rate, work, "rest");
            double ratio = (double) heapAll / heapFirst;
            System.out.printf(Locale.ROOT, "heap after %,d calls: %,d bytes; after %,d calls: %,d bytes;"
                    + " ratio %.3f (aim <= 1.10)%n", first, heapFirst, total, heapAll, ratio);
            System.exit(ratio <= 1.10 ? 0 : 1);
        }
    }

    private static long callsThenHeap(Node node, int sipPort, int calls, int rate, Path work, String name)
            throws Exception {
        SippRun.Result r = new SippRun("127.0.0.1", sipPort).builtin("uac").name(name).calls(calls).rate(rate)
                .limit(Math.max(2 * rate, 1_000)).holdMs(0).timeoutSeconds(calls / rate + 60).run(work);
        System.out.println(name + ": " + r.successful() + " successful, " + r.failed() + " failed, exit "
                + r.exitCode() + " in " + String.format(Locale.ROOT, "%.1f", r.wallSeconds()) + " s");
        if (r.successful() <= 0) {
            System.err.println(r);
            System.exit(2);
        }
        SipTrunk trunk = node.trunk();
        long deadline = System.nanoTime() + DRAIN_DEADLINE_MS * 1_000_000L;
        SipTrunk.StackTables tables = trunk.stackTables();
        while (trunk.counters().activeCalls() > 0 || tables.serverTransactions() > 0
                || tables.clientTransactions() > 0 || tables.dialogs() > 0) {
            if (System.nanoTime() > deadline) {
                System.err.println(name + ": the stack still holds " + tables + " and "
                        + trunk.counters().activeCalls() + " calls " + DRAIN_DEADLINE_MS + " ms after the last call");
                System.exit(1);
            }
            Thread.sleep(200); // polled with the deadline above
            tables = trunk.stackTables();
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "%s: tables %s; heap used after GC %,d bytes%n", name, tables, used);
        return used;
    }

    private static void usage(String why) {
        System.err.println(why + "\nusage: HeapAfterCalls [--first N] [--total N] [--rate CPS] [--ports N] [--work DIR]");
        System.exit(2);
    }
}
