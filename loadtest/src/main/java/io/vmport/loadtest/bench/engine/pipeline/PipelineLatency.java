package io.vmport.loadtest.bench.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.pipeline.NanoClock;
import io.vmport.engine.pipeline.NoOpJournalSink;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.pipeline.PipelineProducer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures the latency from publishing an offer to its routing decision reaching the call's {@link
 * io.vmport.engine.pipeline.CallReply} (router stage, then reply stage), at a steady offered rate, and prints
 * p50, p99, p99.9 and max. Each answered call is answered and ended at once, so the load is about three events
 * per offer. Latency is taken from the actual publish time; the producer paces by deadline, so a late wake-up
 * sends two offers back to back rather than lowering the rate.
 *
 * <p>Run (after {@code mvn -pl engine,loadtest package -DskipTests}):
 * <pre>
 * java -cp loadtest/target/benchmarks.jar io.vmport.loadtest.bench.engine.pipeline.PipelineLatency \
 *      [--rate 10000] [--ports-per-server 1000] [--wait blocking] [--stage-threads per-stage|shared] \
 *      [--warmup-seconds 5] [--seconds 20]
 * </pre>
 */
public final class PipelineLatency {
    private static final int MAX_IN_FLIGHT = 1_024;

    private PipelineLatency() {
    }

    public static void main(String[] args) throws InterruptedException {
        int rate = 10_000;
        int portsPerServer = 1_000;
        String wait = "blocking";
        String threads = "per-stage";
        int warmupSeconds = 5;
        int seconds = 20;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : usage("missing value for " + args[i]);
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(value);
                case "--ports-per-server" -> portsPerServer = Integer.parseInt(value);
                case "--wait" -> wait = value;
                case "--stage-threads" -> threads = value;
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                default -> usage("unknown option " + args[i]);
            }
        }

        Recorder recorder = new Recorder(3);
        CallQueue replies = new CallQueue(MAX_IN_FLIGHT);
        BenchCall[] free = new BenchCall[MAX_IN_FLIGHT];
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
            free[i] = new BenchCall("latency-call-" + i, replies, recorder);
        }
        int freeCount = MAX_IN_FLIGHT;
        long starved = 0;

        Pipeline pipeline = new Pipeline(PipelineBenchmark.settings(2 * portsPerServer, wait, threads),
                PipelineBenchmark.sipTrunkRouter(portsPerServer), NoOpJournalSink.INSTANCE, NanoClock.SYSTEM);
        pipeline.start();
        PipelineProducer producer = pipeline.producer();
        long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        long startNs = System.nanoTime();
        long measureFromNs = startNs + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long endNs = measureFromNs + TimeUnit.SECONDS.toNanos(seconds);
        long nextNs = startNs;
        boolean measuring = false;
        long offered = 0;
        long cpuFromNs = 0;
        int landing = 0;
        while (true) {
            BenchCall replied;
            while ((replied = replies.poll()) != null) {
                if (replied.port >= 0) {
                    producer.answered(replied.port, replied.callId);
                    producer.ended(replied.port, replied.callId);
                }
                free[freeCount++] = replied;
            }
            long nowNs = System.nanoTime();
            if (!measuring && nowNs >= measureFromNs) {
                recorder.getIntervalHistogram(); // drop the warm-up
                measuring = true;
                offered = 0;
                cpuFromNs = pipelineCpuNs();
            }
            if (nowNs >= endNs) {
                break;
            }
            if (nowNs < nextNs) {
                LockSupport.parkNanos(Math.min(nextNs - nowNs, 20_000));
                continue;
            }
            if (freeCount == 0) {
                starved++;
                Thread.yield();
                continue;
            }
            BenchCall call = free[--freeCount];
            call.sentNs = System.nanoTime();
            producer.offer((landing++ & 1) == 0 ? ServerName.PUBLISHER : ServerName.SUBSCRIBER, -1, call.callId,
                    "0612345678", "5000", null, CallReason.DIRECT, call);
            offered++;
            nextNs += intervalNs;
        }
        Histogram h = recorder.getIntervalHistogram();
        double cores = (pipelineCpuNs() - cpuFromNs) / (double) TimeUnit.SECONDS.toNanos(seconds);
        pipeline.stop();

        System.out.printf(Locale.ROOT, "publish-to-decision latency: rate %d offers/s, %d ports per server, %s wait,"
                        + " %s stage threads, %d s measured after %d s warm-up%n", rate, portsPerServer, wait, threads,
                seconds, warmupSeconds);
        System.out.printf(Locale.ROOT, "  offers measured %d (%.0f/s), decisions %d, producer starved %d times,"
                        + " stage failures %d, pipeline threads used %.0f%% of a core%n", offered,
                offered / (double) seconds, h.getTotalCount(), starved, pipeline.handlerFailures(), 100 * cores);
        System.out.printf(Locale.ROOT, "  p50 %.1f us, p90 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us%n",
                us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)), us(h.getValueAtPercentile(99)),
                us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()));
    }

    /** CPU time of the pipeline's stage threads (named "bench-..."), not of this producer. */
    private static long pipelineCpuNs() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("bench-")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private static double us(long ns) {
        return ns / 1_000.0;
    }

    private static String usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: PipelineLatency [--rate N] [--ports-per-server N] "
                + "[--wait blocking|sleeping|yielding|busy-spin] [--stage-threads per-stage|shared] "
                + "[--warmup-seconds N] [--seconds N]");
        System.exit(2);
        return null;
    }
}
