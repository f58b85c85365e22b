package io.vmport.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.PeerHeartbeat;
import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.ports.PortState;
import io.vmport.engine.routing.Router;
import io.vmport.engine.routing.RoutingDecision;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PM-1 (DESIGN section 2), issue 16 item 7: what one event costs the router and monitor stages does not grow with the
 * port count. A heartbeat or a call copies the snapshot pages it changed, and hands the monitor the ports it
 * changed, not a copy of every port's state. The stages are driven directly, one event at a time, as the ring
 * would, so the work is counted, not timed.
 */
class MonitorCostTest {
    private static final long MS = 1_000_000L;

    private Router domain;
    private RouterStage router;
    private MonitorStage monitor;
    private final PipelineEvent event = new PipelineEvent();
    private long sequence;
    private long nowNs = 1_000 * MS;

    private void build(int portsPerServer) {
        Router r = TestRouters.sipTrunk(portsPerServer);
        domain = r;
        int ports = TestRouters.portCount(portsPerServer);
        router = new RouterStage(r, ports, EffectSink.NONE, view -> { });
        monitor = new MonitorStage(ports, 0, nowNs, r.ports().stateOrdinals());
    }

    private void run() {
        nowNs += MS;
        event.nowNs = nowNs;
        router.onEvent(event, sequence, true);
        monitor.onEvent(event, sequence++, true);
    }

    private int offer(String callId) {
        event.fillCall(EventType.CALL_OFFERED, nowNs, ServerName.PUBLISHER, -1, callId, "1001", "5000", "",
                CallReason.DIRECT, null);
        run();
        assertEquals(RoutingDecision.Kind.ANSWER, event.decision.kind());
        return event.decision.portIndex();
    }

    private void end(int port, String callId) {
        event.fillCall(EventType.CALL_ENDED, nowNs, ServerName.PUBLISHER, port, callId, null, null, null, null, null);
        run();
    }

    private void heartbeat(List<PortDelta> deltas) {
        HeartbeatContent c = new HeartbeatContent(ServerStatus.SECONDARY, domain.cluster().epoch(), ServerName.PUBLISHER, true,
                deltas.size(), ServerStatus.PRIMARY, false, deltas);
        event.fillOther(EventType.PEER_HEARTBEAT, nowNs, ServerName.SUBSCRIBER, -1,
                new PeerHeartbeat(sequence, ServerName.SUBSCRIBER, c));
        run();
    }

    @ParameterizedTest(name = "{0} ports per server")
    @ValueSource(ints = {1_000, 5_000})
    void pm1_aHeartbeatHandsTheMonitorNoCopyOfEveryPort_andCopiesOnlyThePageItChanged(int portsPerServer) {
        build(portsPerServer);
        heartbeat(List.of()); // the first heartbeat may change the cluster's view; what it changed is its own
        long before = monitor.pagesCopied();

        heartbeat(List.of());
        assertNull(event.portChanges, "a heartbeat that changes no port's state hands the monitor no port states"
                + " (it handed all " + 2 * portsPerServer + " before)");
        assertEquals(before, monitor.pagesCopied(), "a heartbeat that changes nothing copies no page");

        int peerPort = 2 * portsPerServer - 1;
        heartbeat(List.of(new PortDelta(peerPort, PortState.IN_CALL, "peer-call", "1002", "5000", "",
                CallReason.DIRECT, 10)));
        assertNull(event.portChanges);
        assertEquals(before + 1, monitor.pagesCopied(), "one delta from the peer copies its one page");
        assertEquals("peer-call", monitor.latest().port(peerPort).callId());
    }

    @ParameterizedTest(name = "{0} ports per server")
    @ValueSource(ints = {1_000, 5_000})
    void pm1_aCallCopiesThePageOfItsPort_whateverThePortCount(int portsPerServer) {
        build(portsPerServer);
        long before = monitor.pagesCopied();
        int port = offer("call-1");
        assertNull(event.portChanges, "the call's own port travels in portState");
        assertEquals(before + 1, monitor.pagesCopied());
        assertEquals(PortState.RINGING, monitor.latest().state(port));

        end(port, "call-1");
        assertEquals(before + 2, monitor.pagesCopied());
        assertEquals(PortState.IDLE, monitor.latest().state(port));
    }

    @ParameterizedTest(name = "{0} ports per server")
    @ValueSource(ints = {1_000, 5_000})
    void pm1_aStatusChangeHandsTheMonitorThePortsItChanged(int portsPerServer) {
        build(portsPerServer);
        int port = offer("call-1");
        event.fillOther(EventType.ADMIN_ACTION, nowNs, null, -1,
                new AdminRequest(io.vmport.engine.cluster.AdminAction.STOP_TAKING_CALLS, ServerName.PUBLISHER,
                        false));
        run();
        assertNotNull(event.portChanges);
        assertEquals(portsPerServer, event.portChanges.length,
                "stopping the publisher changes its ports, and only those: " + event.result);
        assertEquals(PortState.DRAINING, monitor.latest().state(port));
        assertTrue(monitor.latest().count(PortState.OUT_OF_SERVICE) >= portsPerServer - 1);
    }
}
