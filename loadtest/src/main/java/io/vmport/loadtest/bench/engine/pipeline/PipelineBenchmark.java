package io.vmport.loadtest.bench.engine.pipeline;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortTable;
import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.pipeline.CallReply;
import io.vmport.engine.pipeline.NanoClock;
import io.vmport.engine.pipeline.NoOpJournalSink;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.pipeline.PipelineProducer;
import io.vmport.engine.pipeline.PipelineSettings;
import io.vmport.engine.pipeline.StageThreads;
import io.vmport.engine.pipeline.WaitStrategyKind;
import io.vmport.engine.routing.RefuseCause;
import io.vmport.engine.routing.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

/**
 * Measures events per second (an event is one offer, answer or end; each invocation publishes one of each)
 * through the node's whole pipeline, producer to router, reply, journal (no-op sink), monitor, peer and release,
 * and through the same ring, threads and barriers with stages that do nothing.
 *
 * <p>Calls are offered as a PIMG gateway offers them, naming their port, so the producer knows the port and
 * publishes offer, answer and end back to back in both benchmarks: the score is the pipeline's per-event cost,
 * not a round trip. Each producer thread cycles through its own slice of all ports (both servers), the
 * cache-unfriendly order at 100,000 ports. The SIP-trunk path (router picks an idle port) is measured by
 * {@link PipelineLatency}.
 *
 * <p>Run: {@code java -jar loadtest/target/benchmarks.jar PipelineBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PipelineBenchmark {
    private static final int EVENTS_PER_CALL = 3;
    private static final String CALLER = "0612345678";
    private static final String CALLED = "5000";

    /** The settings the benchmarks run with: the production defaults but for wait strategy and stage threads. */
    static PipelineSettings settings(int portCount, String waitStrategy, String stageThreads) {
        return PipelineSettings.defaults(portCount)
                .withWaitStrategy(WaitStrategyKind.fromConfigName("waitStrategy", waitStrategy))
                .withStageThreads(StageThreads.fromConfigName("stageThreads", stageThreads))
                .withThreadNamePrefix("bench");
    }

    /**
     * The one place the benchmarks build a Router: the domain's, on a cluster that works normally (ST-1), with
     * the SCCP plan: {@code portsPerServer} devices on each server, addressed by global port index, so a
     * producer names the device it rings and publishes the answer and the end without waiting for the decision.
     */
    static Router router(int portsPerServer) {
        return started(Integration.SCCP, portsPerServer);
    }

    /** A SIP-trunk router, {@code portsPerServer} ports on each server: offers name no port (hint -1). */
    static Router sipTrunkRouter(int portsPerServer) {
        return started(Integration.SIP_TRUNK, 2 * portsPerServer);
    }

    private static Router started(Integration integration, int n) {
        ClusterSettings settings = ClusterSettings.defaults();
        PortPlan plan = PortPlan.of(integration, n);
        PortTable ports = new PortTable(plan, settings.huntOrder());
        Cluster cluster = new Cluster(ServerName.PUBLISHER, settings, ports, AlarmSink.NONE);
        cluster.onClusterStateRead(null, 0, null, ServerStatus.STARTING, 0);
        cluster.onPeerHeartbeat(ServerStatus.SECONDARY, null, cluster.epoch(), true, 0);
        while (cluster.pollEffect() != null) {
            // start-up effects are the node's business
        }
        return new Router(cluster, plan, ports, AlarmSink.NONE);
    }

    /** Which server owns each device of the SCCP plan: the server a call to that device lands on. */
    static ServerName[] owners(int portsPerServer) {
        PortPlan plan = PortPlan.of(Integration.SCCP, portsPerServer);
        ServerName[] owners = new ServerName[plan.size()];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = plan.owner(i).server();
        }
        return owners;
    }

    /** Base of both pipeline states. */
    @State(Scope.Benchmark)
    public abstract static class PipelineState {
        @Param({"16", "1000", "100000"})
        int portsPerServer;
        @Param({"blocking"})
        String waitStrategy;
        @Param({"per-stage"})
        String stageThreads;

        Pipeline pipeline;
        ServerName[] owners;

        @Setup(Level.Trial)
        public void plan() {
            owners = owners(portsPerServer);
        }

        int portCount() {
            return 2 * portsPerServer;
        }

        @TearDown(Level.Trial)
        public void stop() {
            pipeline.stop();
            if (pipeline.handlerFailures() != 0) {
                throw new IllegalStateException("stages failed during the benchmark: " + pipeline.describe());
            }
        }
    }

    /** The real pipeline: the domain's router, journal to a no-op sink, no peer. */
    public static class RealPipeline extends PipelineState {
        @Setup(Level.Trial)
        public void start() {
            pipeline = new Pipeline(settings(portCount(), waitStrategy, stageThreads), router(portsPerServer),
                    NoOpJournalSink.INSTANCE, NanoClock.SYSTEM);
            pipeline.start();
        }
    }

    /** The same ring, threads and barriers with stages that do nothing. */
    public static class EmptyPipeline extends PipelineState {
        @Setup(Level.Trial)
        public void start() {
            pipeline = Pipeline.baseline(settings(portCount(), waitStrategy, stageThreads), NanoClock.SYSTEM);
            pipeline.start();
        }
    }

    /** One producer thread: its slice of the ports, its call, and what the reply stage told it. */
    @State(Scope.Thread)
    public static class Producer implements CallReply {
        int threadIndex;
        int threadCount;
        String callId;
        int next;
        /** Written on the reply thread, read after the pipeline stopped (its threads joined). */
        long answers;
        long notAnswered;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            threadIndex = thread.getThreadIndex();
            threadCount = thread.getThreadCount();
            callId = "bench-" + threadIndex;
        }

        @TearDown(Level.Trial)
        public void check() {
            if (notAnswered != 0) {
                throw new IllegalStateException(notAnswered + " calls were not answered (" + answers
                        + " were): producers' port slices overlap, the benchmark is not measuring what it says");
            }
        }

        /** Publishes one call, offer, answer and end, on the next port of this thread's slice. */
        void call(PipelineState state) {
            int span = state.portCount() / threadCount;
            int port = threadIndex * span + next;
            if (++next == span) {
                next = 0;
            }
            PipelineProducer producer = state.pipeline.producer();
            ServerName landedOn = state.owners[port];
            producer.offer(landedOn, port, callId, CALLER, CALLED, null, CallReason.DIRECT, this);
            producer.answered(port, callId);
            producer.ended(port, callId);
        }

        @Override
        public void answer(int portIndex) {
            answers++;
        }

        @Override
        public void redirect(ServerName to) {
            notAnswered++;
        }

        @Override
        public void refuse(RefuseCause cause) {
            notAnswered++;
        }

        @Override
        public void hangUp() {
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_CALL)
    public void realPipeline(RealPipeline pipeline, Producer producer) {
        producer.call(pipeline);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_CALL)
    public void emptyHandlers(EmptyPipeline pipeline, Producer producer) {
        producer.call(pipeline);
    }
}
