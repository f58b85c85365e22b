package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.db.Database;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortState;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.sim.CallOutcome;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import io.vmport.sccp.sim.SimSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both nodes with SCCP port devices against the phone-system simulator (SPEC CA-3, CA-4, CA-6, section 3): every
 * device registers, a call rings the subscriber's first device and the engine answers it off hook, the port is
 * IN_CALL and then IDLE with a call record, Stop Taking Calls unregisters the subscriber's devices so the hunt
 * list moves to the publisher's, and Take Calls brings them back.
 */
class SccpNodesTest {
    static final int N = 2;

    private Database db;
    private PhoneSystemSimulator sim;
    private Node publisher;
    private Node subscriber;

    @AfterEach
    void tearDown() {
        if (subscriber != null) {
            subscriber.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private String describe() {
        return "sim " + sim.counts() + "\npublisher " + publisher.monitorSnapshot() + "\nsubscriber "
                + subscriber.monitorSnapshot() + "\n" + publisher.clusterView();
    }

    @Test
    void ca3Ca4SccpCallsRingTheSubscriberFirstAndMoveToThePublisherWhenItStopsTakingCalls() throws Exception {
        PortPlan plan = PortPlan.of(Integration.SCCP, N);
        sim = new PhoneSystemSimulator(new SimSettings(30, 2_000, 300, SkinnyCodec.DEFAULT_MAX_LENGTH),
                PhoneSystemSimulator.subscriberFirst(List.of("sub-sccp-001", "sub-sccp-002"),
                        List.of("pub-sccp-001", "pub-sccp-002")));
        InetSocketAddress at = sim.start(new InetSocketAddress("127.0.0.1", 0));

        db = TestDatabase.openFresh();
        ClusterSettings s = ClusterSettings.defaults();
        ClusterSettings fast = new ClusterSettings(s.autoFailover(), s.autoFailback(), s.failbackHoldDownMs(),
                s.deactivateOnBacklog(), s.replicationBacklogLimit(), s.absorbPeerPortsOnFailover(),
                HuntOrder.TOP_DOWN, 100, 2_000, 2_000, false, List.of("127.0.0.1"));
        ClusterBootstrap cluster = new ClusterBootstrap(Integration.SCCP, N, fast);
        int pubPeer = LoopbackPorts.freeTcp();
        int subPeer = LoopbackPorts.freeTcp();
        Path dir = Path.of("unused-embedded-dir");
        publisher = Node.start(DemoCluster.config(ServerName.PUBLISHER, LoopbackPorts.freeUdpAndTcp(),
                LoopbackPorts.freeTcp(), pubPeer, subPeer, "t0ken", dir, cluster), db, at);
        subscriber = Node.start(DemoCluster.config(ServerName.SUBSCRIBER, LoopbackPorts.freeUdpAndTcp(),
                LoopbackPorts.freeTcp(), subPeer, pubPeer, "t0ken", dir, cluster), db, at);

        Poll.await("all " + plan.size() + " port devices registered", 15_000,
                () -> sim.registeredCount() == plan.size(), this::describe);

        CallOutcome first = sim.offerCall("5551234", "8000").get(10, TimeUnit.SECONDS);
        assertEquals("sub-sccp-001", first.deviceName(), first.toString());
        int subPort = plan.indexOf("sub-sccp-001");
        Poll.await("the subscriber's port is in the call", 5_000,
                () -> subscriber.monitorSnapshot().state(subPort) == PortState.IN_CALL, this::describe);
        Poll.await("the caller hung up and the port is idle", 5_000,
                () -> subscriber.monitorSnapshot().state(subPort) == PortState.IDLE, this::describe);
        Poll.await("a call record", 5_000, () -> !db.callRecords().newest(10).isEmpty(), this::describe);
        CallRecordRow record = db.callRecords().newest(1).get(0);
        assertEquals("sub-sccp-001", record.port(), record.toString());
        assertEquals(Integration.SCCP, record.integration(), record.toString());
        assertEquals("5551234", record.caller(), record.toString());

        ActionResult stop = subscriber.perform(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER, false)
                .get(5, TimeUnit.SECONDS);
        assertTrue(stop.ok(), stop.toString());
        Poll.await("the subscriber's devices unregistered", 5_000, () -> sim.registeredCount() == N,
                this::describe);
        Poll.await("the subscriber's ports are out of service", 5_000,
                () -> subscriber.monitorSnapshot().state(subPort) == PortState.OUT_OF_SERVICE, this::describe);
        CallOutcome second = sim.offerCall("5551235", "8000").get(10, TimeUnit.SECONDS);
        assertEquals("pub-sccp-001", second.deviceName(), second.toString());

        ActionResult take = subscriber.perform(AdminAction.TAKE_CALLS, ServerName.SUBSCRIBER, false)
                .get(5, TimeUnit.SECONDS);
        assertTrue(take.ok(), take.toString());
        Poll.await("the subscriber's devices registered again", 5_000,
                () -> sim.registeredCount() == plan.size(), this::describe);
        CallOutcome third = sim.offerCall("5551236", "8000").get(10, TimeUnit.SECONDS);
        assertEquals("subscriber", third.server(), third.toString());
        assertEquals(0, sim.counts().unanswered(), describe());
    }
}
