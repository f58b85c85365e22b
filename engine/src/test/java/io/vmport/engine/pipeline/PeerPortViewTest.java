package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.PeerHeartbeat;
import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.ports.PortState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ST-11, PM-1: the calls of one node travel as port deltas in its heartbeats and show in the other node's port
 * monitor. Pipeline {@code sender} plays the subscriber's node (its calls land on the subscriber); {@link OwnCallDeltas}
 * makes the deltas from its monitor; pipeline {@code receiver} gets them as heartbeats from the subscriber.
 */
class PeerPortViewTest {
    private static final int PORTS_PER_SERVER = 4;
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock();
    private final LinkedBlockingQueue<TestCall> inbox = new LinkedBlockingQueue<>();
    private Pipeline sender;
    private Pipeline receiver;
    private OwnCallDeltas deltas;
    private long sequence;

    @AfterEach
    void stop() {
        for (Pipeline p : new Pipeline[] {sender, receiver}) {
            if (p != null) {
                p.stop();
            }
        }
    }

    private Pipeline pipeline() {
        Pipeline p = new Pipeline(PipelineSettings.defaults(TestRouters.portCount(PORTS_PER_SERVER))
                .withMonitorMinIntervalNs(0).withTickIntervalNs(0), TestRouters.sipTrunk(PORTS_PER_SERVER),
                NoOpJournalSink.INSTANCE, clock);
        p.start();
        return p;
    }

    private void start() {
        sender = pipeline();
        receiver = pipeline();
        deltas = new OwnCallDeltas(ServerName.SUBSCRIBER, sender.monitorSnapshot().portCount());
    }

    private TestCall call(String callId) throws InterruptedException {
        TestCall call = new TestCall(callId, ServerName.SUBSCRIBER, inbox, null);
        sender.producer().offer(ServerName.SUBSCRIBER, -1, callId, "1001", "5000", "5001",
                CallReason.FORWARDED_BUSY, call);
        TestCall replied = inbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(replied, "no reply to " + callId);
        assertEquals(TestCall.Reply.ANSWER, replied.reply);
        return replied;
    }

    /** The sender's next heartbeat, delivered to the receiver; returns its content. */
    private HeartbeatContent beat(int maxDeltaBytes) {
        Await.drained(sender);
        OwnCallDeltas.Batch b = deltas.next(sender.monitorSnapshot(), clock.nanoTime(), maxDeltaBytes);
        HeartbeatContent c = new HeartbeatContent(ServerStatus.SECONDARY, receiver.clusterView().epoch(),
                ServerName.PUBLISHER, true, sender.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER),
                ServerStatus.PRIMARY, b.snapshot(), b.deltas());
        receiver.producer().peerHeartbeat(new PeerHeartbeat(++sequence, ServerName.SUBSCRIBER, c));
        Await.drained(receiver);
        return c;
    }

    private PortSnapshot seen(int port) {
        return receiver.monitorSnapshot().port(port);
    }

    @Test
    void st11_pm1_theSendersCallsShowOnTheReceiver_withTheirNumbers_andGoWhenTheyEnd() throws Exception {
        start();
        TestCall a = call("call-a");
        clock.advance(250 * MS);
        HeartbeatContent first = beat(HeartbeatContent.MAX_DELTA_BYTES);
        assertTrue(first.portSnapshot(), "the first heartbeat after start is a full snapshot");
        assertEquals(1, first.deltas().size());

        PortSnapshot p = seen(a.port);
        assertEquals(PortState.RINGING, p.state());
        assertEquals(ServerName.SUBSCRIBER, p.server());
        assertEquals("call-a", p.callId());
        assertEquals("1001", p.caller());
        assertEquals("5000", p.called());
        assertEquals("5001", p.redirecting());
        assertEquals(CallReason.FORWARDED_BUSY, p.reason());
        assertEquals(1, receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER));
        assertEquals(0, receiver.monitorSnapshot().callsInProgress(ServerName.PUBLISHER));
        assertEquals(1, receiver.monitorSnapshot().count(PortState.RINGING));

        sender.producer().answered(a.port, "call-a");
        HeartbeatContent second = beat(HeartbeatContent.MAX_DELTA_BYTES);
        assertFalse(second.portSnapshot());
        assertEquals(PortState.IN_CALL, seen(a.port).state());
        assertEquals(1, receiver.monitorSnapshot().count(PortState.IN_CALL));
        assertEquals(0, receiver.monitorSnapshot().count(PortState.RINGING));

        assertTrue(beat(HeartbeatContent.MAX_DELTA_BYTES).deltas().isEmpty(), "nothing changed, nothing sent");

        sender.producer().ended(a.port, "call-a");
        beat(HeartbeatContent.MAX_DELTA_BYTES);
        assertEquals(PortState.IDLE, seen(a.port).state());
        assertNull(seen(a.port).callId());
        assertEquals(0, receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER));
        assertEquals(2 * PORTS_PER_SERVER, receiver.monitorSnapshot().count(PortState.IDLE));
    }

    @Test
    void st11_aSmallByteBudget_spreadsTheDeltasOverHeartbeats_eachSentOnce() throws Exception {
        start();
        List<TestCall> calls = new ArrayList<>();
        for (int i = 0; i < PORTS_PER_SERVER; i++) {
            calls.add(call("call-" + i));
        }
        int oneDelta = new PortDelta(0, PortState.RINGING, "call-0", "1001", "5000", "5001",
                CallReason.FORWARDED_BUSY, 0).wireBytes();
        Set<Integer> sent = new HashSet<>();
        int heartbeats = 0;
        while (sent.size() < PORTS_PER_SERVER) {
            HeartbeatContent c = beat(oneDelta);
            assertTrue(c.deltas().size() <= 1, "one delta fits the budget: " + c);
            for (PortDelta d : c.deltas()) {
                assertTrue(sent.add(d.port()), "port " + d.port() + " sent twice");
            }
            assertTrue(++heartbeats <= PORTS_PER_SERVER + 1, "stuck after " + heartbeats + " heartbeats");
        }
        assertTrue(beat(oneDelta).deltas().isEmpty());
        for (TestCall c : calls) {
            assertEquals(c.callId, seen(c.port).callId());
        }
        assertEquals(PORTS_PER_SERVER, receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER));
    }

    @Test
    void st11_afterAReconnection_aSnapshotReplacesWhatTheReceiverHad_andALostPeerClearsIt() throws Exception {
        start();
        TestCall a = call("call-a");
        TestCall b = call("call-b");
        beat(HeartbeatContent.MAX_DELTA_BYTES);
        assertEquals(2, receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER));

        // call-a ends while the link is down: its delta never arrives
        sender.producer().ended(a.port, "call-a");
        receiver.producer().peerLost("test: link down");
        Await.until(Duration.ofSeconds(10),
                () -> receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER) == 0,
                () -> "a lost peer's calls are not shown: " + receiver.monitorSnapshot());
        assertNull(seen(b.port).callId());

        deltas.restart();
        HeartbeatContent c = beat(HeartbeatContent.MAX_DELTA_BYTES);
        assertTrue(c.portSnapshot());
        assertEquals(1, c.deltas().size(), "only the call still up: " + c.deltas());
        assertEquals("call-b", seen(b.port).callId());
        assertNull(seen(a.port).callId());
        assertEquals(1, receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER));
    }

    @Test
    void pm1_aLocalCallWinsOverThePeersOnTheSamePort() throws Exception {
        start();
        TestCall a = call("call-a");
        beat(HeartbeatContent.MAX_DELTA_BYTES);
        // the receiver now takes a call of its own on that same (subscriber) port index
        TestCall local = new TestCall("local", ServerName.SUBSCRIBER, inbox, null);
        receiver.producer().offer(ServerName.SUBSCRIBER, -1, "local", "1", "2", null, CallReason.DIRECT, local);
        TestCall replied = inbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(replied);
        Await.drained(receiver);
        assertEquals(a.port, replied.port, "the hunt picks the same first port on both");
        assertEquals("local", seen(a.port).callId());
        assertEquals(1, receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER));
        receiver.producer().ended(replied.port, "local");
        Await.drained(receiver);
        assertEquals("call-a", seen(a.port).callId(), "the peer's call shows again");
        assertEquals(1, receiver.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER));
    }
}
