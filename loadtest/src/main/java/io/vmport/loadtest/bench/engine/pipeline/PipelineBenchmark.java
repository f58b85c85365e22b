package io.vmport.loadtest.bench.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.pipeline.CallReason;
import io.vmport.engine.pipeline.NanoClock;
import io.vmport.engine.pipeline.NoOpJournalSink;
import io.vmport.engine.pipeline.PeerSink;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.pipeline.PipelineProducer;
import io.vmport.engine.pipeline.PipelineSettings;
import io.vmport.engine.pipeline.StageThreads;
import io.vmport.engine.pipeline.WaitStrategyKind;
import io.vmport.engine.routing.Router;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Measures events per second (an event is one offer, answer or end) through the node's whole pipeline, from
 * {@link PipelineProducer} through router, reply, journal (no-op sink), monitor, peer and release, against the
 * same ring and threads with empty stages; read the {@code events} counter, not the invocation score.
 *
 * <p>Real: a producer keeps {@code callsInFlight} calls offered; for every call answered it publishes the answer
 * and the end (redirected and refused calls only count their offer). Landing alternates between the servers.
 * Empty: the producer publishes offer, answer and end for each call with no decision to wait for.
 *
 * <p>Run: {@code java -jar loadtest/target/benchmarks.jar PipelineBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PipelineBenchmark {
    private static final String CALLER = "0612345678";
    private static final String CALLED = "5000";

    /** The settings both pipelines run with: the production defaults but for wait strategy and stage threads. */
    static PipelineSettings settings(int portCount, String waitStrategy, String stageThreads) {
        return PipelineSettings.defaults(portCount)
                .withWaitStrategy(WaitStrategyKind.fromConfigName("waitStrategy", waitStrategy))
                .withStageThreads(StageThreads.fromConfigName("stageThreads", stageThreads))
                .withThreadNamePrefix("bench");
    }

    /** The one place the benchmarks build a Router (the stand-in today; the domain's after the merge). */
    static Router router(int portsPerServer) {
        return new Router(portsPerServer);
    }

    /** The real pipeline: stand-in router, journal to a no-op sink, no peer. */
    @State(Scope.Benchmark)
    public static class RealPipeline {
        @Param({"16", "1000", "100000"})
        int portsPerServer;
        @Param({"sleeping"})
        String waitStrategy;
        @Param({"per-stage", "shared"})
        String stageThreads;

        Pipeline pipeline;

        @Setup(Level.Trial)
        public void start() {
            pipeline = new Pipeline(settings(2 * portsPerServer, waitStrategy, stageThreads), router(portsPerServer),
                    NoOpJournalSink.INSTANCE, PeerSink.NO_OP, NanoClock.SYSTEM);
            pipeline.start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            pipeline.stop();
            if (pipeline.handlerFailures() != 0) {
                throw new IllegalStateException("stages failed during the benchmark: " + pipeline.describe());
            }
        }
    }

    /** The same ring, threads and barriers with stages that do nothing. */
    @State(Scope.Benchmark)
    public static class EmptyPipeline {
        @Param({"16", "1000", "100000"})
        int portsPerServer;
        @Param({"sleeping"})
        String waitStrategy;
        @Param({"per-stage", "shared"})
        String stageThreads;

        Pipeline pipeline;

        @Setup(Level.Trial)
        public void start() {
            pipeline = Pipeline.baseline(settings(2 * portsPerServer, waitStrategy, stageThreads), NanoClock.SYSTEM);
            pipeline.start();
        }

        @TearDown(Level.Trial)
        public void stop() {
            pipeline.stop();
        }
    }

    /** Events published by this thread: JMH reports their rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    /** One producer's calls: a fixed pool, at most {@code callsInFlight} offered and not yet ended. */
    @State(Scope.Thread)
    public static class Calls {
        @Param({"32"})
        int callsInFlight;

        BenchCall[] free;
        int freeCount;
        CallQueue replies;
        int landing;

        @Setup(Level.Trial)
        public void setUp() {
            replies = new CallQueue(callsInFlight);
            free = new BenchCall[callsInFlight];
            String thread = Thread.currentThread().getName();
            for (int i = 0; i < callsInFlight; i++) {
                free[i] = new BenchCall(thread + "-call-" + i, replies, null);
            }
            freeCount = callsInFlight;
        }

        ServerName nextLanding() {
            return (landing++ & 1) == 0 ? ServerName.PUBLISHER : ServerName.SUBSCRIBER;
        }
    }

    @Benchmark
    public void realPipeline(RealPipeline real, Calls calls, Events events) {
        PipelineProducer producer = real.pipeline.producer();
        BenchCall replied;
        while ((replied = calls.replies.poll()) != null) {
            if (replied.port >= 0) {
                producer.answered(replied.port, replied.callId);
                producer.ended(replied.port, replied.callId);
                events.events += 2;
            }
            calls.free[calls.freeCount++] = replied;
        }
        if (calls.freeCount == 0) {
            Thread.yield(); // every call in flight: let the stages run
            return;
        }
        BenchCall call = calls.free[--calls.freeCount];
        producer.offer(calls.nextLanding(), -1, call.callId, CALLER, CALLED, null, CallReason.DIRECT, call);
        events.events++;
    }

    @Benchmark
    public void emptyHandlers(EmptyPipeline empty, Calls calls, Events events) {
        PipelineProducer producer = empty.pipeline.producer();
        int n = calls.landing & Integer.MAX_VALUE;
        BenchCall call = calls.free[n % calls.callsInFlight];
        int port = n % (2 * empty.portsPerServer);
        producer.offer(calls.nextLanding(), -1, call.callId, CALLER, CALLED, null, CallReason.DIRECT, call);
        producer.answered(port, call.callId);
        producer.ended(port, call.callId);
        events.events += 3;
    }
}
