package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.engine.ports.PortState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.DomainFixture.MS;
import static io.vmport.engine.cluster.ServerStatus.DEACTIVATED;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.REPLICATING_DATA;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;
import static io.vmport.engine.cluster.ServerStatus.STARTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC ST-7..ST-12: automatic status changes, failback, backlog, heartbeats, split brain. */
class ClusterFailoverTest {

    private static DomainFixture pub(ClusterSettings s) {
        return DomainFixture.started(PUBLISHER, Integration.SIP_TRUNK, 8, s);
    }

    private static DomainFixture sub(ClusterSettings s) {
        return DomainFixture.started(SUBSCRIBER, Integration.SIP_TRUNK, 8, s);
    }

    // ------------------------------------------------------------------ ST-7

    @Test
    void st7_primaryPublisherLosesItsDatabase_handsPrimaryToTheSubscriber() {
        DomainFixture f = pub(ClusterSettings.defaults());
        int call = f.call(PUBLISHER);
        ActionResult r = f.cluster.onCriticalFailure(PUBLISHER, CriticalFailure.DATABASE_LOST, f.now);
        assertTrue(r.ok());
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(List.of(AlarmName.StatusChangeStarted, AlarmName.StatusChangeStarted,
                AlarmName.StatusChangeCompleted, AlarmName.StatusChangeCompleted, AlarmName.AutoFailoverSucceeded),
                f.alarmNames(), "both raise that a change started, then that it completed");
        ActionResult back = f.cluster.preview(AdminAction.MAKE_PRIMARY, PUBLISHER, false);
        assertTrue(back.refused() && back.reason().contains("runs degraded (DATABASE_LOST)"), back.toString());
        assertEquals(PortState.IN_CALL, f.ports.state(call));
        assertTrue(f.drainEffects().contains(Effect.STOP_PRIMARY_SERVICES));
    }

    @Test
    void st7_subscriberPrimaryLosingACriticalService_staysPrimaryDegraded() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        f.alarms.clear();
        ActionResult r = f.cluster.onCriticalFailure(SUBSCRIBER, CriticalFailure.CRITICAL_SERVICE_STOPPED, f.now);
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        assertTrue(r.reason().contains("CRITICAL_SERVICE_STOPPED") && r.reason().contains("degraded"), r.reason());
        assertEquals(0, f.count(AlarmName.StatusChangeStarted));
    }

    @Test
    void st7_secondaryPublisherLosingACriticalService_statusUnchanged() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        f.cluster.onCriticalFailure(PUBLISHER, CriticalFailure.CRITICAL_SERVICE_STOPPED, f.now);
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
    }

    @Test
    void st7_noHandOverWhenTheSubscriberIsDeactivated() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        f.alarms.clear();
        f.cluster.onCriticalFailure(PUBLISHER, CriticalFailure.DATABASE_LOST, f.now);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(DEACTIVATED, f.cluster.status(SUBSCRIBER));
        Alarm a = f.alarms(AlarmName.AutoFailoverFailed).get(0);
        assertTrue(a.detail().contains("subscriber is DEACTIVATED"), a.detail());
    }

    @Test
    void st7_noHandOverWhenTheSubscriberIsNotFunctioning() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.peerAlive = false;
        f.advanceMs(3_000);
        f.cluster.onNetworkCheckResult(true, f.now);
        assertEquals(NOT_FUNCTIONING, f.cluster.status(SUBSCRIBER));
        f.cluster.onCriticalFailure(PUBLISHER, CriticalFailure.CRITICAL_SERVICE_STOPPED, f.now);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
    }

    @Test
    void st7_degradedPrimaryPublisher_handsOverOnceTheSubscriberIsSecondaryAgain() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        f.cluster.onCriticalFailure(PUBLISHER, CriticalFailure.DATABASE_LOST, f.now);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        f.cluster.perform(AdminAction.ACTIVATE, SUBSCRIBER, false, f.now);
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
    }

    // ------------------------------------------------------------------ ST-8, ST-11

    @Test
    void st8_silentPrimary_networkConfirmed_secondaryBecomesPrimary() {
        DomainFixture f = sub(ClusterSettings.defaults());
        int pubCall = f.call(PUBLISHER);
        int subCall = f.call(SUBSCRIBER);
        f.peerAlive = false;
        f.advanceMs(2_500);
        assertNull(f.cluster.pollEffect(), "not before the local heartbeat timeout");
        f.advanceMs(1_000);
        assertEquals(List.of(Effect.NETWORK_CHECK), f.drainEffects());
        assertFalse(f.cluster.peerConnected());
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER), "nothing changes before the network is confirmed");

        ActionResult r = f.cluster.onNetworkCheckResult(true, f.now);
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(NOT_FUNCTIONING, f.cluster.status(PUBLISHER), "the old PRIMARY is shown NOT_FUNCTIONING");
        assertEquals(AlarmName.NoConnectionToPeer, f.alarms.get(0).name());
        assertEquals(1, f.count(AlarmName.AutoFailoverSucceeded));
        assertEquals(2, f.count(AlarmName.StatusChangeStarted));
        assertEquals(2, f.count(AlarmName.StatusChangeCompleted));
        assertTrue(f.drainEffects().contains(Effect.START_PRIMARY_SERVICES));
        // CA-5: the dead server loses its own calls, the survivor's are untouched
        assertEquals(1, r.droppedCount());
        assertEquals(pubCall, r.droppedPort(0));
        assertEquals(PortState.IN_CALL, f.ports.state(subCall));
        assertTrue(f.offer(SUBSCRIBER).isAnswer());
    }

    @Test
    void st8_networkNotConfirmed_nothingChanges() {
        DomainFixture f = sub(ClusterSettings.defaults());
        f.peerAlive = false;
        f.advanceMs(3_000);
        long epoch = f.cluster.epoch();
        ActionResult r = f.cluster.onNetworkCheckResult(false, f.now);
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(epoch, f.cluster.epoch());
        assertEquals(List.of(AlarmName.AutoFailoverFailed), f.alarmNames());
        assertTrue(r.reason().contains("not confirmed"), r.reason());
        // it checks again a timeout later, without raising the alarm again
        f.drainEffects();
        f.advanceMs(3_000);
        assertEquals(List.of(Effect.NETWORK_CHECK), f.drainEffects());
        f.cluster.onNetworkCheckResult(false, f.now);
        assertEquals(1, f.count(AlarmName.AutoFailoverFailed));
    }

    @Test
    void st8_autoFailoverOff_peerShownNotFunctioning_statusUnchanged() {
        DomainFixture f = sub(new DomainFixture.Settings().autoFailover(false).build());
        f.peerAlive = false;
        f.advanceMs(3_000);
        f.cluster.onNetworkCheckResult(true, f.now);
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertEquals(NOT_FUNCTIONING, f.cluster.status(PUBLISHER));
        assertEquals(0, f.count(AlarmName.AutoFailoverSucceeded));
        assertEquals(1, f.count(AlarmName.NoConnectionToPeer));
        assertTrue(f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now).ok(), "the administrator makes it PRIMARY by hand");
    }

    @Test
    void st8_heartbeatBeforeTheCheckResult_nothingChanges() {
        DomainFixture f = sub(ClusterSettings.defaults());
        f.peerAlive = false;
        f.advanceMs(3_000);
        f.peerAlive = true;
        f.advanceMs(500);
        assertEquals(ActionResult.NOTHING, f.cluster.onNetworkCheckResult(true, f.now));
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertTrue(f.alarms.isEmpty());
    }

    @Test
    void st8_linkClosed_checksAtOnce() {
        DomainFixture f = sub(ClusterSettings.defaults());
        f.cluster.onPeerLost(f.now);
        assertEquals(List.of(Effect.NETWORK_CHECK), f.drainEffects());
        f.cluster.onNetworkCheckResult(true, f.now);
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
    }

    @Test
    void st11_localHeartbeatTimeoutIsTheSetting() {
        DomainFixture f = sub(new DomainFixture.Settings().localTimeoutMs(10_000).build());
        f.peerAlive = false;
        f.advanceMs(9_500);
        assertFalse(f.drainEffects().contains(Effect.NETWORK_CHECK));
        f.advanceMs(500);
        assertTrue(f.drainEffects().contains(Effect.NETWORK_CHECK));
        assertEquals(f.now - 10_000 * MS, f.cluster.lastHeartbeatNs());
    }

    @Test
    void st11_heartbeatsCarryStatusAndTakingCalls() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.cluster.onPeerHeartbeat(SECONDARY, null, f.cluster.epoch(), false, f.now);
        assertFalse(f.cluster.takingCalls(SUBSCRIBER));
        assertTrue(f.offer(SUBSCRIBER).isRefuse());
        f.cluster.onPeerHeartbeat(REPLICATING_DATA, null, f.cluster.epoch() + 1, true, f.now);
        assertEquals(REPLICATING_DATA, f.cluster.status(SUBSCRIBER));
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
    }

    @Test
    void st11_staleHeartbeatDoesNotUndoAChangeMadeHere() {
        DomainFixture f = pub(ClusterSettings.defaults());
        long before = f.cluster.epoch();
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        f.cluster.onPeerHeartbeat(SECONDARY, null, before, true, f.now);
        assertEquals(DEACTIVATED, f.cluster.status(SUBSCRIBER));
    }

    @Test
    void st11_peerThatHandsPrimaryOver_makesThisServerPrimary() {
        DomainFixture f = sub(ClusterSettings.defaults());
        f.cluster.onPeerHeartbeat(SECONDARY, null, f.cluster.epoch() + 1, true, f.now);
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
    }

    // ------------------------------------------------------------------ ST-9

    /** The publisher's own view after an automatic failover: it restarted and found the subscriber PRIMARY. */
    private static DomainFixture returnedPublisher(ClusterSettings s) {
        DomainFixture f = new DomainFixture(PUBLISHER, Integration.SIP_TRUNK, 8, s);
        f.cluster.onClusterStateRead(SUBSCRIBER, 9, null, PRIMARY, f.now);
        f.cluster.onPeerHeartbeat(PRIMARY, null, f.cluster.epoch(), true, f.now);
        f.alarms.clear();
        f.drainEffects();
        return f;
    }

    @Test
    void st9_returningPublisherTakesItsShareOfCallsAtOnce() {
        DomainFixture f = returnedPublisher(ClusterSettings.defaults());
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        assertTrue(f.offer(PUBLISHER).isAnswer());
    }

    @Test
    void st9_autoFailback_afterTheHoldDown() {
        DomainFixture f = returnedPublisher(ClusterSettings.defaults());
        int call = f.call(SUBSCRIBER);
        f.advanceMs(59_500);
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        f.advanceMs(500);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertEquals(1, f.count(AlarmName.AutoFailbackSucceeded));
        assertEquals(PortState.IN_CALL, f.ports.state(call));
        f.advanceMs(120_000);
        assertEquals(1, f.count(AlarmName.AutoFailbackSucceeded), "once");
    }

    @Test
    void st9_flappingPublisherUnderHoldDown_doesNotSwingRoles() {
        DomainFixture f = returnedPublisher(ClusterSettings.defaults());
        f.advanceMs(40_000);
        f.cluster.onCriticalFailure(PUBLISHER, CriticalFailure.CRITICAL_SERVICE_STOPPED, f.now);
        f.advanceMs(5_000);
        f.cluster.onRecovered(PUBLISHER, f.now);
        f.advanceMs(30_000); // 75 s since it came back, 30 s since it last recovered
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        f.cluster.onPeerLost(f.now); // the link flaps too
        f.advanceMs(500);            // heartbeats resume before the network check returns
        f.cluster.onNetworkCheckResult(true, f.now);
        f.advanceMs(59_000);
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(0, f.count(AlarmName.StatusChangeStarted), "no swing while it flaps");
        f.advanceMs(1_000);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER), "steady for a whole hold-down: failback");
    }

    @Test
    void st9_autoFailbackOff_onlyMakePrimary() {
        DomainFixture f = returnedPublisher(new DomainFixture.Settings().autoFailback(false).build());
        f.advanceMs(600_000);
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        assertTrue(f.cluster.perform(AdminAction.MAKE_PRIMARY, PUBLISHER, false, f.now).ok());
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
    }

    @Test
    void st9_manualMakePrimaryOfTheSubscriber_isNotUndoneByFailback() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        f.advanceMs(600_000);
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
    }

    @Test
    void st9_failbackRefusedByTheDatabase_raisesAutoFailbackFailed() {
        DomainFixture f = returnedPublisher(ClusterSettings.defaults());
        f.advanceMs(60_000);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        f.cluster.onDatabaseRole(SUBSCRIBER, f.cluster.epoch(), f.now);
        assertEquals(1, f.count(AlarmName.AutoFailbackFailed));
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
    }

    @Test
    void st9_confirmedFailbackIsNotReportedFailedLater() {
        DomainFixture f = returnedPublisher(new DomainFixture.Settings().autoFailback(true).build());
        f.advanceMs(60_000);
        f.cluster.onDatabaseRole(PUBLISHER, f.cluster.epoch(), f.now); // the database took the claim
        f.cluster.onDatabaseRole(SUBSCRIBER, f.cluster.epoch() + 10, f.now);
        assertEquals(0, f.count(AlarmName.AutoFailbackFailed));
    }

    // ------------------------------------------------------------------ ST-10

    @Test
    void st10_backlogPastTheLimit_deactivatesTheSecondary_whenOn() {
        DomainFixture f = sub(new DomainFixture.Settings().deactivateOnBacklog(true, 100).build());
        int call = f.call(SUBSCRIBER);
        assertEquals(ActionResult.NOTHING, f.cluster.onDatabaseNode(true, "Synced", 100, f.now));
        ActionResult r = f.cluster.onDatabaseNode(true, "Synced", 101, f.now);
        assertEquals(DEACTIVATED, f.cluster.status(SUBSCRIBER));
        assertEquals(1, r.droppedCount());
        assertEquals(call, r.droppedPort(0));
        assertTrue(r.reason().contains("backlog 101 passed the limit 100"), r.reason());

        DomainFixture p = pub(new DomainFixture.Settings().deactivateOnBacklog(true, 100).build());
        assertEquals(ActionResult.NOTHING, p.cluster.onDatabaseNode(true, "Synced", 10_000, p.now),
                "never the PRIMARY");
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
    }

    @Test
    void st10_backlogIgnored_whenOff() {
        DomainFixture f = sub(ClusterSettings.defaults());
        f.cluster.onDatabaseNode(true, "Synced", Long.MAX_VALUE, f.now);
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
    }

    @Test
    void replicatingData_whileTheDatabaseNodeCatchesUp_answersNoCalls_thenThePreviousStatusReturns() {
        DomainFixture f = sub(ClusterSettings.defaults());
        int call = f.call(SUBSCRIBER);
        ActionResult r = f.cluster.onDatabaseNode(false, "Joined", 250, f.now);
        assertEquals(REPLICATING_DATA, f.cluster.status(SUBSCRIBER), r.toString());
        assertTrue(f.offer(SUBSCRIBER).isRefuse());
        assertEquals(PortState.DRAINING, f.ports.state(call), "CA-5: the call in progress continues");

        // it lasts while the node says so: heartbeats and ticks go on, a report that it is still joining changes
        // nothing (no alarm, no new epoch)
        f.advanceMs(10_000);
        long epoch = f.cluster.epoch();
        f.alarms.clear();
        assertEquals(ActionResult.NOTHING, f.cluster.onDatabaseNode(false, "Joined", 20, f.now));
        assertEquals(REPLICATING_DATA, f.cluster.status(SUBSCRIBER));
        assertEquals(epoch, f.cluster.epoch());
        assertTrue(f.alarms.isEmpty(), f.alarms.toString());

        f.advanceMs(500);
        f.cluster.onDatabaseNode(true, "Synced", 0, f.now);
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(PortState.IN_CALL, f.ports.state(call));
        assertTrue(f.offer(SUBSCRIBER).isAnswer());
    }

    @Test
    void replicatingData_aPrimaryStopsPrimaryOnlyWorkMeanwhile_andIsPrimaryAgainAfter() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.cluster.onDatabaseNode(false, "Donor/Desynced", 0, f.now);
        assertEquals(REPLICATING_DATA, f.cluster.status(PUBLISHER));
        assertFalse(f.mayDoPrimaryWork());
        assertTrue(f.drainEffects().contains(Effect.STOP_PRIMARY_SERVICES));
        f.advanceMs(3_000);
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER), "the SECONDARY does not take over meanwhile");
        f.cluster.onDatabaseNode(true, "Synced", 0, f.now);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertTrue(f.drainEffects().contains(Effect.START_PRIMARY_SERVICES));
    }

    // ------------------------------------------------------------------ ST-12

    /** Two nodes, each with its own view, joined by a link the test carries by hand. */
    @Test
    void st12_splitBrain_bothPrimaryWhileApart_recoveryThenPublisherPrimary() {
        DomainFixture p = pub(ClusterSettings.defaults());
        DomainFixture s = sub(ClusterSettings.defaults());
        int pubCall = p.call(PUBLISHER);

        // the link breaks; neither reaches the database to arbitrate
        p.peerAlive = false;
        s.peerAlive = false;
        p.advanceMs(3_000);
        s.advanceMs(3_000);
        p.cluster.onNetworkCheckResult(true, p.now);
        s.cluster.onNetworkCheckResult(true, s.now);
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
        assertEquals(PRIMARY, s.cluster.status(SUBSCRIBER));
        assertTrue(p.offer(PUBLISHER).isAnswer(), "both answer calls");
        assertTrue(s.offer(SUBSCRIBER).isAnswer(), "both answer calls");
        assertTrue(p.mayDoPrimaryWork() && s.mayDoPrimaryWork(), "both accept changes");

        // the link comes back: each hears the other claim PRIMARY
        p.drainEffects();
        s.drainEffects();
        p.cluster.onPeerHeartbeat(s.cluster.status(SUBSCRIBER), null, s.cluster.epoch(), true, p.now);
        s.cluster.onPeerHeartbeat(p.cluster.status(PUBLISHER), null, p.cluster.epoch(), true, s.now);
        for (DomainFixture f : List.of(p, s)) {
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(PUBLISHER));
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(SUBSCRIBER));
            assertTrue(f.drainEffects().contains(Effect.MERGE_DATA));
            assertTrue(f.offer(f.cluster.self()).isRefuse(), "no new call while recovering");
        }
        assertEquals(PortState.DRAINING, p.ports.state(pubCall), "CA-5: calls in progress are not affected");

        p.cluster.onMergeCompleted(p.now);
        s.cluster.onMergeCompleted(s.now);
        exchange(p, s); // each side's heartbeat says its merge is done: recovery ends once both are
        for (DomainFixture f : List.of(p, s)) {
            assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
            assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        }
        assertEquals(PortState.IN_CALL, p.ports.state(pubCall));
    }

    @Test
    void st12_peerAlreadyInRecovery_joinsIt_andFollowsItsResult() {
        DomainFixture s = sub(ClusterSettings.defaults());
        s.peerAlive = false;
        s.advanceMs(3_000);
        s.cluster.onNetworkCheckResult(true, s.now);
        assertEquals(PRIMARY, s.cluster.status(SUBSCRIBER));
        s.cluster.onPeerHeartbeat(SPLIT_BRAIN_RECOVERY, null, s.cluster.epoch(), true, s.now);
        assertEquals(SPLIT_BRAIN_RECOVERY, s.cluster.status(SUBSCRIBER));
        s.cluster.onPeerHeartbeat(PRIMARY, null, s.cluster.epoch() + 1, true, s.now);
        assertEquals(PRIMARY, s.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, s.cluster.status(SUBSCRIBER));
    }

    @Test
    void st12_mergeFailed_raisesSbrFailed_andStillResolvesRoles() {
        DomainFixture p = pub(ClusterSettings.defaults());
        p.peerAlive = false;
        p.advanceMs(3_000);
        p.cluster.onNetworkCheckResult(true, p.now);
        p.cluster.onPeerHeartbeat(PRIMARY, null, p.cluster.epoch(), true, p.now);
        assertEquals(SPLIT_BRAIN_RECOVERY, p.cluster.status(PUBLISHER));
        p.alarms.clear();
        p.cluster.onMergeFailed("message store unreachable", p.now);
        assertEquals(AlarmName.SbrFailed, p.alarms.get(0).name());
        assertTrue(p.alarms.get(0).detail().contains("message store unreachable"));
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, p.cluster.status(SUBSCRIBER));
        assertEquals(ActionResult.NOTHING, p.cluster.onMergeFailed("no detail given", p.now), "only while recovering");
        assertEquals(1, p.count(AlarmName.SbrFailed));
    }

    @Test
    void st12_withDatabaseArbitration_noSplitBrain() {
        // the subscriber took over while the publisher was only cut off from it; the database names the
        // subscriber at a newer epoch, so the publisher steps down instead of both staying PRIMARY (ST-13)
        DomainFixture p = pub(ClusterSettings.defaults());
        p.peerAlive = false;
        p.advanceMs(3_000);
        p.cluster.onNetworkCheckResult(true, p.now);
        p.cluster.onDatabaseRole(SUBSCRIBER, p.cluster.epoch() + 1, p.now);
        assertEquals(SECONDARY, p.cluster.status(PUBLISHER));
        assertEquals(PRIMARY, p.cluster.status(SUBSCRIBER));
        p.cluster.onPeerHeartbeat(PRIMARY, null, p.cluster.epoch(), true, p.now);
        assertNotEquals(SPLIT_BRAIN_RECOVERY, p.cluster.status(PUBLISHER));
    }

    // ------------------------------------------------------------------ two nodes, one link

    /** Delivers one heartbeat each way, as the peer link would. */
    static void exchange(DomainFixture p, DomainFixture s) {
        p.cluster.onPeerHeartbeat(s.cluster.status(SUBSCRIBER), null, s.cluster.epoch(),
                s.cluster.takingCalls(SUBSCRIBER), s.cluster.mergeDone(), p.now);
        s.cluster.onPeerHeartbeat(p.cluster.status(PUBLISHER), null, p.cluster.epoch(),
                p.cluster.takingCalls(PUBLISHER), p.cluster.mergeDone(), s.now);
    }

    @Test
    void st5_makePrimaryOnOneNode_theOtherNodeFollowsThroughHeartbeats() {
        DomainFixture p = pub(ClusterSettings.defaults());
        DomainFixture s = sub(ClusterSettings.defaults());
        p.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, p.now); // the request reached the publisher's admin API
        exchange(p, s);
        exchange(p, s);
        for (DomainFixture f : List.of(p, s)) {
            assertEquals(SECONDARY, f.cluster.status(PUBLISHER), f.cluster.toString());
            assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER), f.cluster.toString());
        }
        assertTrue(s.mayDoPrimaryWork());
        assertFalse(p.mayDoPrimaryWork());
    }

    @Test
    void st9_failbackDoneByThePublisher_theSubscriberStepsDown() {
        DomainFixture p = returnedPublisher(ClusterSettings.defaults());
        DomainFixture s = sub(ClusterSettings.defaults());
        s.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, s.now);
        p.now = s.now;
        exchange(p, s);
        p.advanceMs(60_000); // the scripted peer keeps the publisher's link up meanwhile
        s.now = p.now;
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
        exchange(p, s);
        assertEquals(PRIMARY, s.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, s.cluster.status(SUBSCRIBER));
        assertFalse(s.mayDoPrimaryWork());
    }

    @Test
    void startingPeerHeardBeforeItReadsTheState_isShownStarting() {
        DomainFixture f = pub(ClusterSettings.defaults());
        f.peerAlive = false;
        f.advanceMs(3_000);
        f.cluster.onNetworkCheckResult(true, f.now);
        f.cluster.onPeerHeartbeat(STARTING, null, 0, true, f.now);
        assertEquals(STARTING, f.cluster.status(SUBSCRIBER));
        f.cluster.onPeerHeartbeat(SECONDARY, null, 0, true, f.now);
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
    }
}
