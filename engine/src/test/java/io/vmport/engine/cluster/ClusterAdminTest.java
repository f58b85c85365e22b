package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.ports.PortState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.DEACTIVATED;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.STARTING;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC CL-3, ST-1..ST-6, ST-13, AL-1 and the administrative actions of PM-3. */
class ClusterAdminTest {

    // ------------------------------------------------------------------ CL-3, ST-1

    @Test
    void cl3_startsStartingUntilClusterStateRead() {
        DomainFixture f = new DomainFixture(PUBLISHER, Integration.SIP_TRUNK, 4, ClusterSettings.defaults());
        assertEquals(STARTING, f.cluster.status(PUBLISHER));
        assertFalse(f.cluster.acceptsCalls(PUBLISHER));
        assertTrue(f.offer(PUBLISHER).isRefuse(), "a STARTING server answers no call");
        assertTrue(f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now).refused(), "a STARTING node accepts no admin change");
        f.cluster.onTick(f.now + 3_600_000 * DomainFixture.MS);
        assertNull(f.cluster.pollEffect(), "no peer watch before the state is read");

        f.cluster.onClusterStateRead(null, 0, null, STARTING, f.now);
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
    }

    @Test
    void st1_bothWorking_publisherPrimarySubscriberSecondary() {
        DomainFixture pub = DomainFixture.started(PUBLISHER, Integration.SIP_TRUNK, 4, ClusterSettings.defaults());
        assertEquals(PRIMARY, pub.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, pub.cluster.status(SUBSCRIBER));

        DomainFixture sub = DomainFixture.started(SUBSCRIBER, Integration.SIP_TRUNK, 4, ClusterSettings.defaults());
        assertEquals(PRIMARY, sub.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, sub.cluster.status(SUBSCRIBER));
    }

    @Test
    void st1_bothStartingTogether_subscriberWaitsForThePublisher() {
        DomainFixture sub = new DomainFixture(SUBSCRIBER, Integration.SIP_TRUNK, 4, ClusterSettings.defaults());
        sub.cluster.onClusterStateRead(null, 0, null, STARTING, sub.now);
        assertEquals(SECONDARY, sub.cluster.status(SUBSCRIBER));
        sub.cluster.onPeerHeartbeat(PRIMARY, null, sub.cluster.epoch(), true, sub.now);
        assertEquals(PRIMARY, sub.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, sub.cluster.status(SUBSCRIBER));
    }

    @Test
    void cl3_subscriberAloneBecomesPrimary_storedDeactivatedStaysDeactivated() {
        DomainFixture sub = new DomainFixture(SUBSCRIBER, Integration.SIP_TRUNK, 4, ClusterSettings.defaults());
        sub.cluster.onClusterStateRead(PUBLISHER, 7, null, NOT_FUNCTIONING, sub.now);
        assertEquals(PRIMARY, sub.cluster.status(SUBSCRIBER));
        assertTrue(sub.cluster.epoch() > 7);

        DomainFixture pub = new DomainFixture(PUBLISHER, Integration.SIP_TRUNK, 4, ClusterSettings.defaults());
        pub.cluster.onClusterStateRead(SUBSCRIBER, 7, DEACTIVATED, PRIMARY, pub.now);
        assertEquals(DEACTIVATED, pub.cluster.status(PUBLISHER));
    }

    // ------------------------------------------------------------------ ST-2

    @Test
    void st2_onlyOnePrimary_throughAdminActions() {
        DomainFixture f = DomainFixture.sip(8);
        assertOnePrimary(f);
        f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        assertOnePrimary(f);
        f.cluster.perform(AdminAction.MAKE_PRIMARY, PUBLISHER, false, f.now);
        assertOnePrimary(f);
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        assertOnePrimary(f);
        f.cluster.perform(AdminAction.ACTIVATE, SUBSCRIBER, false, f.now);
        assertOnePrimary(f);
        // a peer that says it is PRIMARY at a newer epoch demotes this one
        f.cluster.onPeerHeartbeat(PRIMARY, null, f.cluster.epoch() + 1, true, f.now);
        assertOnePrimary(f);
        assertEquals(SUBSCRIBER, f.cluster.primary());
    }

    private static void assertOnePrimary(DomainFixture f) {
        int n = (f.cluster.status(PUBLISHER) == PRIMARY ? 1 : 0) + (f.cluster.status(SUBSCRIBER) == PRIMARY ? 1 : 0);
        assertEquals(1, n, f.cluster.toString());
    }

    // ------------------------------------------------------------------ ST-3, ST-4

    @Test
    void st3_primaryCannotBeDeactivated_refusedWithReason() {
        DomainFixture f = DomainFixture.sip(8);
        ActionResult r = f.cluster.perform(AdminAction.DEACTIVATE, PUBLISHER, true, f.now);
        assertTrue(r.refused());
        assertTrue(r.reason().contains("publisher is PRIMARY"), r.reason());
        assertTrue(r.reason().contains("ST-3"), r.reason());
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(0, f.count(AlarmName.StatusChangeStarted));
    }

    @Test
    void st4_onlySecondaryCanBeDeactivated() {
        DomainFixture f = DomainFixture.sip(8);
        assertTrue(f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now).ok());
        ActionResult again = f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        assertTrue(again.refused());
        assertTrue(again.reason().contains("subscriber is DEACTIVATED; only a SECONDARY"), again.reason());
    }

    @Test
    void st4_deactivateWithCallsUp_refusedWithoutForce_sayingHowManyWouldDrop() {
        DomainFixture f = DomainFixture.sip(8);
        f.call(SUBSCRIBER);
        f.call(SUBSCRIBER);
        f.call(SUBSCRIBER);
        f.call(PUBLISHER);

        ActionResult preview = f.cluster.preview(AdminAction.DEACTIVATE, SUBSCRIBER, true);
        assertTrue(preview.ok());
        assertEquals(3, preview.callsAffected(), "PM-3: says what it will do to calls before it is done");
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER), "a preview changes nothing");

        ActionResult r = f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        assertTrue(r.refused());
        assertEquals(3, r.callsAffected());
        assertTrue(r.reason().contains("would drop 3 call(s)"), r.reason());
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertEquals(3, f.cluster.callsInProgress(SUBSCRIBER));
    }

    @Test
    void st4_deactivateWithForce_dropsEveryCallAndReportsThePorts() {
        DomainFixture f = DomainFixture.sip(8);
        int a = f.call(SUBSCRIBER);
        int b = f.call(SUBSCRIBER);
        f.offer(SUBSCRIBER); // ringing, not answered yet
        int ringing = f.decision.portIndex();
        int pubCall = f.call(PUBLISHER);

        ActionResult r = f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, true, f.now);
        assertTrue(r.ok(), r.reason());
        assertEquals(DEACTIVATED, r.status());
        assertEquals(3, r.callsAffected());
        assertArrayEquals(new int[] {a, b, ringing}, r.droppedPorts());
        assertEquals(0, f.cluster.callsInProgress(SUBSCRIBER));
        for (int p : r.droppedPorts()) {
            assertEquals(PortState.OUT_OF_SERVICE, f.ports.state(p));
            assertFalse(f.ports.inCall(p));
        }
        assertEquals(PortState.IN_CALL, f.ports.state(pubCall), "CA-5: the other server's calls are untouched");
        assertEquals(1, f.cluster.callsInProgress(PUBLISHER));
    }

    // ------------------------------------------------------------------ ST-5

    @Test
    void st5_makePrimaryWithCallsUpDropsNone() {
        DomainFixture f = DomainFixture.sip(8);
        int p1 = f.call(PUBLISHER);
        int p2 = f.call(PUBLISHER);
        int s1 = f.call(SUBSCRIBER);
        f.offer(SUBSCRIBER);
        int s2Ringing = f.decision.portIndex();

        ActionResult r = f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        assertTrue(r.ok(), r.reason());
        assertEquals(PRIMARY, r.status());
        assertEquals(0, r.callsAffected());
        assertEquals(0, r.droppedCount());
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        for (int p : new int[] {p1, p2, s1}) {
            assertEquals(PortState.IN_CALL, f.ports.state(p));
        }
        assertEquals(PortState.RINGING, f.ports.state(s2Ringing));
        assertEquals(2, f.cluster.callsInProgress(PUBLISHER));
        assertEquals(2, f.cluster.callsInProgress(SUBSCRIBER));
    }

    @Test
    void st5_onlySecondaryCanBeMadePrimary() {
        DomainFixture f = DomainFixture.sip(8);
        ActionResult already = f.cluster.perform(AdminAction.MAKE_PRIMARY, PUBLISHER, false, f.now);
        assertTrue(already.refused());
        assertTrue(already.reason().contains("publisher is PRIMARY already"), already.reason());
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        ActionResult r = f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        assertTrue(r.refused());
        assertTrue(r.reason().contains("subscriber is DEACTIVATED; only a SECONDARY"), r.reason());
    }

    // ------------------------------------------------------------------ ST-6

    @Test
    void st6_activateWhenOtherIsPrimary_becomesSecondary() {
        DomainFixture f = DomainFixture.sip(8);
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        ActionResult r = f.cluster.perform(AdminAction.ACTIVATE, SUBSCRIBER, false, f.now);
        assertTrue(r.ok(), r.reason());
        assertEquals(SECONDARY, r.status());
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertTrue(f.offer(SUBSCRIBER).isAnswer(), "it takes its share of calls at once");
    }

    @Test
    void st6_activateWhenOtherIsNotFunctioning_becomesPrimary() {
        // this node is the subscriber; the publisher was made SECONDARY, the subscriber deactivated, then the
        // publisher went silent
        DomainFixture f = DomainFixture.started(SUBSCRIBER, Integration.SIP_TRUNK, 8, ClusterSettings.defaults());
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        assertEquals(DEACTIVATED, f.cluster.status(SUBSCRIBER));
        f.peerAlive = false;
        f.advanceMs(3_500);
        f.cluster.onNetworkCheckResult(true, f.now);
        assertEquals(NOT_FUNCTIONING, f.cluster.status(PUBLISHER));
        assertEquals(DEACTIVATED, f.cluster.status(SUBSCRIBER), "a DEACTIVATED server does not fail over by itself");

        ActionResult r = f.cluster.perform(AdminAction.ACTIVATE, SUBSCRIBER, false, f.now);
        assertTrue(r.ok(), r.reason());
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertTrue(r.reason().contains("publisher is NOT_FUNCTIONING"), r.reason());
    }

    @Test
    void st6_onlyDeactivatedCanBeActivated() {
        DomainFixture f = DomainFixture.sip(8);
        ActionResult r = f.cluster.perform(AdminAction.ACTIVATE, SUBSCRIBER, false, f.now);
        assertTrue(r.refused());
        assertTrue(r.reason().contains("subscriber is SECONDARY; only a DEACTIVATED server can be activated"),
                r.reason());
    }

    // ------------------------------------------------------------------ ST-13

    @Test
    void st13_everyStatusChangeBumpsTheEpochAndRecordsIt() {
        DomainFixture f = DomainFixture.sip(8);
        long e0 = f.cluster.epoch();
        f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        long e1 = f.cluster.epoch();
        assertEquals(e0 + 1, e1, "one change, one epoch, however many servers it moves");
        assertEquals(e1, f.cluster.epochOf(SUBSCRIBER));
        assertEquals(e1, f.cluster.epochOf(PUBLISHER));
        f.cluster.perform(AdminAction.DEACTIVATE, PUBLISHER, false, f.now);
        assertEquals(e1 + 1, f.cluster.epoch());
        assertEquals(e1 + 1, f.cluster.epochOf(PUBLISHER));
        assertEquals(e1, f.cluster.epochOf(SUBSCRIBER));
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, f.now);
        assertEquals(e1 + 1, f.cluster.epoch(), "Stop Taking Calls is not a status change");
        assertTrue(f.drainEffects().contains(Effect.PUBLISH_STATUS), "the node writes each change with its epoch");
    }

    @Test
    void st13_newerEpochHeldByTheOther_stopsPrimaryOnlyWork() {
        DomainFixture f = DomainFixture.sip(8);
        int call = f.call(PUBLISHER);
        assertTrue(f.mayDoPrimaryWork());
        long stale = f.cluster.epoch();

        ActionResult r = f.cluster.onDatabaseRole(SUBSCRIBER, stale + 5, f.now);
        assertTrue(r.ok());
        assertFalse(f.mayDoPrimaryWork(), "fenced: no publishing, notifications or MWI any more");
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER));
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertTrue(f.cluster.epoch() >= stale + 5, "at least the database's epoch: " + f.cluster.epoch());
        assertTrue(f.drainEffects().contains(Effect.STOP_PRIMARY_SERVICES));
        assertEquals(PortState.IN_CALL, f.ports.state(call), "calls are not affected");
    }

    @Test
    void st13_theDatabaseNamingThisServerAtAnOlderOrSameEpoch_changesNothing() {
        DomainFixture f = DomainFixture.sip(8);
        long e = f.cluster.epoch();
        assertEquals(ActionResult.NOTHING, f.cluster.onDatabaseRole(PUBLISHER, e - 1, f.now));
        assertEquals(ActionResult.NOTHING, f.cluster.onDatabaseRole(PUBLISHER, e, f.now));
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(e, f.cluster.epoch());
    }

    @Test
    void st13_equalEpochWithAnotherHolder_meansOurWriteWasRefused() {
        DomainFixture f = DomainFixture.sip(8);
        long e = f.cluster.epoch();
        f.cluster.onDatabaseRole(SUBSCRIBER, e, f.now);
        assertEquals(SUBSCRIBER, f.cluster.primary());
    }

    // ------------------------------------------------------------------ AL-1

    @Test
    void al1_everyStatusChangeRaisesStartedAndCompleted_withTimeServerAndDetail() {
        DomainFixture f = DomainFixture.sip(8);
        f.now = 42 * DomainFixture.MS;
        f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        assertEquals(List.of(AlarmName.StatusChangeStarted, AlarmName.StatusChangeStarted,
                AlarmName.StatusChangeCompleted, AlarmName.StatusChangeCompleted), f.alarmNames());
        for (Alarm a : f.alarms) {
            assertEquals(f.now, a.timeNs());
            assertTrue(a.detail().contains("epoch"), a.detail());
        }
        assertEquals(PUBLISHER, f.alarms.get(0).server());
        assertEquals(SUBSCRIBER, f.alarms.get(1).server());
        assertTrue(f.alarms.get(0).detail().contains("publisher PRIMARY -> SECONDARY"), f.alarms.get(0).detail());

        f.alarms.clear();
        f.cluster.perform(AdminAction.DEACTIVATE, PUBLISHER, false, f.now);
        assertEquals(List.of(AlarmName.StatusChangeStarted, AlarmName.StatusChangeCompleted), f.alarmNames());
    }

    @Test
    void al1_refusedActionRaisesNothing() {
        DomainFixture f = DomainFixture.sip(8);
        f.cluster.perform(AdminAction.DEACTIVATE, PUBLISHER, false, f.now);
        f.cluster.perform(AdminAction.ACTIVATE, PUBLISHER, false, f.now);
        assertTrue(f.alarms.isEmpty());
    }

    @Test
    void al1_aThrowingAlarmSinkDoesNotBreakTheChange() {
        io.vmport.engine.ports.PortPlan plan = io.vmport.engine.ports.PortPlan.of(Integration.SIP_TRUNK, 4);
        io.vmport.engine.ports.PortTable ports = new io.vmport.engine.ports.PortTable(plan,
                ClusterSettings.defaults().huntOrder());
        Cluster c = new Cluster(PUBLISHER, ClusterSettings.defaults(), ports, a -> {
            throw new IllegalStateException("sink down");
        });
        c.onClusterStateRead(null, 0, null, STARTING, 1);
        assertEquals(PRIMARY, c.status(PUBLISHER));
    }

    // ------------------------------------------------------------------ PM-3 details

    @Test
    void pm3_performByNameAndPreview() {
        DomainFixture f = DomainFixture.sip(8);
        f.call(PUBLISHER);
        ActionResult p = f.cluster.preview(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false);
        assertTrue(p.ok());
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertTrue(p.reason().contains("not affected"), p.reason());
        ActionResult r = f.cluster.perform(AdminAction.fromPathName("make-primary"), SUBSCRIBER, false, f.now);
        assertTrue(r.ok());
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
    }

    @Test
    void pm3_degradedServerCannotBeMadePrimary() {
        DomainFixture f = DomainFixture.sip(8);
        f.cluster.onCriticalFailure(SUBSCRIBER, CriticalFailure.CRITICAL_SERVICE_STOPPED, f.now);
        ActionResult r = f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        assertTrue(r.refused());
        assertTrue(r.reason().contains("degraded"), r.reason());
        f.cluster.onRecovered(SUBSCRIBER, f.now);
        assertTrue(f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now).ok());
    }

    @Test
    void unknownServerArgumentsFailFast() {
        DomainFixture f = DomainFixture.sip(8);
        ServerName none = null;
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> f.cluster.perform(AdminAction.MAKE_PRIMARY, none, false, f.now));
    }
}
