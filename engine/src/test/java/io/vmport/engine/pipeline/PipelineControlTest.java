package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.Effect;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.PeerHeartbeat;
import io.vmport.engine.ports.PortState;
import io.vmport.engine.routing.RefuseCause;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Control events through the ring: admin actions (PM-3), heartbeats and peer loss (ST-8, ST-11), ticks. The router
 * stage is the only writer of cluster state; queries read the published {@link ClusterView}.
 */
class PipelineControlTest {
    private static final int PORTS_PER_SERVER = 4;
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock();
    private final LinkedBlockingQueue<TestCall> inbox = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Effect> effects = new LinkedBlockingQueue<>();
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.stop();
        }
    }

    private void start() {
        start(0);
    }

    private void start(long monitorMinIntervalNs) {
        pipeline = new Pipeline(PipelineSettings.defaults(TestRouters.portCount(PORTS_PER_SERVER))
                .withMonitorMinIntervalNs(monitorMinIntervalNs).withTickIntervalNs(0),
                TestRouters.sipTrunk(PORTS_PER_SERVER), NoOpJournalSink.INSTANCE,
                (effect, view) -> effects.add(effect), clock);
        pipeline.start();
    }

    /**
     * PM-2, issue 16 item 4: an action is answered only once what queries read shows it, the port monitor too,
     * although the monitor publishes at most once an hour here and the clock does not move.
     */
    @Test
    void pm2_anActionIsAnsweredOnceTheMonitorSnapshotShowsIt() throws Exception {
        start(3_600_000 * MS);
        answered("first", ServerName.PUBLISHER); // the monitor's first snapshot: the next waits for the interval
        Await.drained(pipeline);

        assertTrue(act(AdminAction.DEACTIVATE, ServerName.SUBSCRIBER, false).ok());
        MonitorSnapshot after = pipeline.monitorSnapshot(); // read at once: no wait, no poll
        assertEquals(PORTS_PER_SERVER, countOf(after, ServerName.SUBSCRIBER, PortState.OUT_OF_SERVICE),
                after.toString());
        assertEquals(ServerStatus.DEACTIVATED, pipeline.clusterView().status(ServerName.SUBSCRIBER));
    }

    /** Section 2, ST-10: this server's database node catching up makes it REPLICATING_DATA, through the ring. */
    @Test
    void replicatingData_reportedByTheDatabaseNode_thenThePreviousStatusReturns() throws Exception {
        start();
        TestCall call = answered("r1", ServerName.PUBLISHER);
        pipeline.producer().report(new NodeReport.DatabaseNode(false, "Joined", 40));
        Await.drained(pipeline);
        assertEquals(ServerStatus.REPLICATING_DATA, pipeline.clusterView().status(ServerName.PUBLISHER));
        MonitorSnapshot replicating = pipeline.monitorSnapshot();
        assertEquals(PortState.DRAINING, replicating.state(call.port), "CA-5: the call goes on");
        assertEquals(PORTS_PER_SERVER - 1, countOf(replicating, ServerName.PUBLISHER, PortState.OUT_OF_SERVICE),
                "no new call meanwhile: " + replicating);

        pipeline.producer().report(new NodeReport.DatabaseNode(true, "Synced", 0));
        Await.drained(pipeline);
        assertEquals(ServerStatus.PRIMARY, pipeline.clusterView().status(ServerName.PUBLISHER));
        assertEquals(PortState.IN_CALL, pipeline.monitorSnapshot().state(call.port));
    }

    private TestCall answered(String callId, ServerName landedOn) throws InterruptedException {
        TestCall call = new TestCall(callId, landedOn, inbox, null);
        pipeline.producer().offer(landedOn, -1, callId, "1001", "5000", null, CallReason.DIRECT, call);
        TestCall replied = inbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(replied, "no reply to " + callId);
        assertEquals(TestCall.Reply.ANSWER, replied.reply);
        pipeline.producer().answered(replied.port, callId);
        return replied;
    }

    private ActionResult act(AdminAction action, ServerName target, boolean force) throws Exception {
        return pipeline.producer().adminAction(new AdminRequest(action, target, force)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void st3_deactivatingThePrimaryThroughTheRing_isRefusedWithAReason() throws Exception {
        start();
        ActionResult r = act(AdminAction.DEACTIVATE, ServerName.PUBLISHER, true);
        assertFalse(r.ok());
        assertTrue(r.reason().contains("PRIMARY"), r.reason());
        assertEquals(ServerStatus.PRIMARY, pipeline.clusterView().status(ServerName.PUBLISHER));
    }

    @Test
    void st4_ca5_forcedDeactivateHangsUpEveryCallOfThatServer_andNoOther() throws Exception {
        start();
        TestCall sub1 = answered("s1", ServerName.SUBSCRIBER);
        TestCall sub2 = answered("s2", ServerName.SUBSCRIBER);
        TestCall pub = answered("p1", ServerName.PUBLISHER);

        ActionResult warned = act(AdminAction.DEACTIVATE, ServerName.SUBSCRIBER, false);
        assertFalse(warned.ok(), "without force the admin is warned first (ST-4)");
        assertEquals(2, warned.callsAffected(), warned.reason());

        ActionResult done = act(AdminAction.DEACTIVATE, ServerName.SUBSCRIBER, true);
        assertTrue(done.ok(), done.reason());
        assertEquals(2, done.droppedCount());
        // The future completes after the reply stage issued the hang-ups.
        assertEquals(1, sub1.hangUps.get());
        assertEquals(1, sub2.hangUps.get());
        assertEquals(0, pub.hangUps.get(), "the other server's calls are never touched (CA-5)");
        assertEquals(ServerStatus.DEACTIVATED, pipeline.clusterView().status(ServerName.SUBSCRIBER));
    }

    @Test
    void ca4_stopTakingCallsThroughTheRing_refusesNewCallsAndShowsInTheView() throws Exception {
        start();
        assertTrue(act(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER, false).ok());
        assertFalse(pipeline.clusterView().server(ServerName.SUBSCRIBER).takingCalls());

        TestCall call = new TestCall("late", ServerName.SUBSCRIBER, inbox, null);
        pipeline.producer().offer(ServerName.SUBSCRIBER, -1, "late", "1001", "5000", null, CallReason.DIRECT, call);
        TestCall replied = inbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(replied);
        assertEquals(RefuseCause.NOT_TAKING_CALLS, replied.cause);
    }

    @Test
    void pt2_ca4_monitorShowsDrainingAndOutOfServiceAsTheRouterSetsThem() throws Exception {
        start();
        TestCall call = answered("d1", ServerName.SUBSCRIBER);
        assertTrue(act(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER, false).ok());
        Await.drained(pipeline);
        MonitorSnapshot draining = pipeline.monitorSnapshot();
        assertEquals(PortState.DRAINING, draining.state(call.port), draining.toString());
        assertEquals(PORTS_PER_SERVER - 1, countOf(draining, ServerName.SUBSCRIBER, PortState.OUT_OF_SERVICE),
                "the subscriber's idle ports take no call now (PT-2)");

        pipeline.producer().ended(call.port, "d1");
        assertTrue(act(AdminAction.TAKE_CALLS, ServerName.SUBSCRIBER, false).ok());
        Await.drained(pipeline);
        MonitorSnapshot back = pipeline.monitorSnapshot();
        assertEquals(PORTS_PER_SERVER, countOf(back, ServerName.SUBSCRIBER, PortState.IDLE), back.toString());
    }

    /** Ports of {@code owner}'s half of the SIP-trunk plan (publisher first) in {@code state}. */
    private static int countOf(MonitorSnapshot snapshot, ServerName owner, PortState state) {
        int from = owner == ServerName.PUBLISHER ? 0 : PORTS_PER_SERVER;
        int n = 0;
        for (int p = from; p < from + PORTS_PER_SERVER; p++) {
            if (snapshot.state(p) == state) {
                n++;
            }
        }
        return n;
    }

    @Test
    void st8_peerSilentPastTheTimeout_tickAsksForANetworkCheck_andTheResultFailsOver() throws Exception {
        // This node is the publisher; make the subscriber the PRIMARY first, so that the publisher is SECONDARY.
        start();
        assertTrue(act(AdminAction.MAKE_PRIMARY, ServerName.SUBSCRIBER, false).ok());
        long timeoutMs = pipeline.clusterView().settings().localHeartbeatTimeoutMs();
        HeartbeatContent hb = new HeartbeatContent(ServerStatus.PRIMARY, pipeline.clusterView().epoch(),
                ServerName.SUBSCRIBER, true, 0, ServerStatus.SECONDARY, List.of());
        pipeline.producer().peerHeartbeat(new PeerHeartbeat(1, ServerName.SUBSCRIBER, hb));
        effects.clear();

        clock.advance((timeoutMs + 1) * MS);
        pipeline.producer().tick();
        assertEquals(Effect.NETWORK_CHECK, effects.poll(10, TimeUnit.SECONDS));

        pipeline.producer().networkCheckResult(true);
        Await.until(Duration.ofSeconds(10),
                () -> pipeline.clusterView().status(ServerName.PUBLISHER) == ServerStatus.PRIMARY,
                () -> "the publisher did not take over: " + pipeline.clusterView());
        assertEquals(ServerStatus.NOT_FUNCTIONING, pipeline.clusterView().status(ServerName.SUBSCRIBER));
    }
}
