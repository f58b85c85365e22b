package io.vmport.loadtest.bench.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.PeerHeartbeat;
import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.pipeline.CallReply;
import io.vmport.engine.pipeline.NanoClock;
import io.vmport.engine.pipeline.NoOpJournalSink;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.pipeline.PipelineProducer;
import io.vmport.engine.ports.PortState;
import io.vmport.engine.routing.RefuseCause;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * Issue 16 item 7: does an event cost more with more ports? The node's whole pipeline (router, reply, journal to
 * a no-op sink, monitor, peer, release) at {@code portsPerServer} ports per server, fed what a node under call
 * load sees: short calls on the first {@value #BUSY_PORTS} ports of the publisher (a top-down hunt with short
 * holds reuses the same few ports whatever the port count), and every {@code callsPerHeartbeat} calls one
 * heartbeat from the peer carrying one port delta (a node gets ten heartbeats a second; 250 calls per heartbeat
 * is 2,500 calls/s; 50 shows more clearly what a heartbeat costs). Score: call events per second (an offer,
 * answer or end; the heartbeats come on top, their cost spread over the calls).
 *
 * <p>Run: {@code java -jar loadtest/target/benchmarks.jar PortCountBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PortCountBenchmark implements CallReply {
    private static final int BUSY_PORTS = 64;
    private static final int CALLS_PER_INVOCATION = 50;
    private static final String CALLER = "0612345678";
    private static final String CALLED = "5000";

    @Param({"1000", "5000"})
    int portsPerServer;
    /** Calls between two of the peer's heartbeats. */
    @Param({"50", "250"})
    int callsPerHeartbeat;

    private Pipeline pipeline;
    private ServerName[] owners;
    private int next;
    private int callsSinceHeartbeat;
    private long heartbeats;
    private long notAnswered;

    @Setup(Level.Trial)
    public void start() {
        owners = PipelineBenchmark.owners(portsPerServer);
        pipeline = new Pipeline(PipelineBenchmark.settings(2 * portsPerServer, "blocking", "shared"),
                PipelineBenchmark.router(portsPerServer), NoOpJournalSink.INSTANCE, NanoClock.SYSTEM);
        pipeline.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        pipeline.stop();
        if (pipeline.handlerFailures() != 0 || notAnswered != 0) {
            throw new IllegalStateException(notAnswered + " calls not answered, stages: " + pipeline.describe());
        }
    }

    /** {@value #CALLS_PER_INVOCATION} calls (offer, answer, end) and the heartbeats due among them. */
    @Benchmark
    @OperationsPerInvocation(3 * CALLS_PER_INVOCATION)
    public void callsAndHeartbeats() {
        PipelineProducer producer = pipeline.producer();
        for (int i = 0; i < CALLS_PER_INVOCATION; i++) {
            int port = next;
            next = (next + 1) % BUSY_PORTS;
            String callId = "bench";
            producer.offer(owners[port], port, callId, CALLER, CALLED, null, CallReason.DIRECT, this);
            producer.answered(port, callId);
            producer.ended(port, callId);
            if (++callsSinceHeartbeat == callsPerHeartbeat) {
                callsSinceHeartbeat = 0;
                heartbeat(producer);
            }
        }
    }

    /** A heartbeat from the subscriber with one call of its own starting or ending on its last port. */
    private void heartbeat(PipelineProducer producer) {
        int port = 2 * portsPerServer - 1;
        PortDelta delta = (heartbeats & 1) == 0
                ? new PortDelta(port, PortState.IN_CALL, "peer-call", CALLER, CALLED, "", CallReason.DIRECT, 0)
                : PortDelta.ended(port);
        HeartbeatContent content = new HeartbeatContent(ServerStatus.SECONDARY, pipeline.clusterView().epoch(),
                ServerName.PUBLISHER, true, (int) (heartbeats & 1), ServerStatus.PRIMARY, List.of(delta));
        producer.peerHeartbeat(new PeerHeartbeat(++heartbeats, ServerName.SUBSCRIBER, content));
    }

    @Override
    public void answer(int portIndex) {
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
