package io.vmport.engine.routing;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.AlarmName;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.DomainFixture;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortState;
import io.vmport.engine.ports.PortTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC CA-1..CA-6 and PT-3, through the router API that the pipeline calls. */
class RouterTest {

    // ------------------------------------------------------------------ CA-1

    @Test
    void ca1_anOfferedCallIsAnsweredRedirectedOrRefused() {
        DomainFixture f = DomainFixture.sip(4); // 2 ports each
        RoutingDecision d = f.offer(PUBLISHER);
        assertEquals(RoutingDecision.Kind.ANSWER, d.kind());
        assertEquals(0, d.portIndex());
        assertNull(d.redirectTo());
        assertNull(d.cause());
        f.router.answered(d.portIndex(), f.now); // connected: a full server is one full of calls, not of offers
        f.call(PUBLISHER);
        d = f.offer(PUBLISHER);
        assertEquals(RoutingDecision.Kind.REDIRECT, d.kind());
        assertEquals(SUBSCRIBER, d.redirectTo());
        assertEquals(-1, d.portIndex());
        f.call(SUBSCRIBER);
        f.call(SUBSCRIBER);
        d = f.offer(PUBLISHER);
        assertEquals(RoutingDecision.Kind.REFUSE, d.kind());
        assertEquals(RefuseCause.NO_PORT_FREE, d.cause());
        d.reset();
        assertNull(d.kind());
    }

    // ------------------------------------------------------------------ CA-2 (SIP trunk)

    @Test
    void ca2_sip_answerAckByeFreesThePort() {
        DomainFixture f = DomainFixture.sip(4);
        int p = f.offer(PUBLISHER).portIndex();
        assertEquals(PortState.RINGING, f.ports.state(p));
        f.router.answered(p, f.now);
        assertEquals(PortState.IN_CALL, f.ports.state(p));
        f.router.ended(p, f.now);
        assertEquals(PortState.IDLE, f.ports.state(p));
        assertEquals(0, f.cluster.callsInProgress(PUBLISHER));
    }

    @Test
    void ca2_sip_cancelWhileRingingFreesThePort() {
        DomainFixture f = DomainFixture.sip(4);
        int p = f.offer(SUBSCRIBER).portIndex();
        f.router.ended(p, f.now);
        assertEquals(PortState.IDLE, f.ports.state(p));
        assertEquals(p, f.offer(SUBSCRIBER).portIndex());
    }

    @Test
    void ca2_sip_serverNotTakingCalls_refusedNotTakingCalls_soThePbxTriesTheOther() {
        DomainFixture f = DomainFixture.sip(4);
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, PUBLISHER, false, f.now);
        assertEquals(RefuseCause.NOT_TAKING_CALLS, f.offer(PUBLISHER).cause());
        assertTrue(f.offer(SUBSCRIBER).isAnswer());
        assertTrue(f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, true, f.now).ok());
        assertEquals(RefuseCause.NOT_TAKING_CALLS, f.offer(SUBSCRIBER).cause(), "status answers no call");
    }

    @Test
    void ca2_sip_busyServer_redirectsOnlyWhenTheOtherCanTakeIt() {
        DomainFixture f = DomainFixture.sip(4);
        f.call(PUBLISHER);
        f.call(PUBLISHER);
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, f.now);
        assertEquals(RefuseCause.NO_PORT_FREE, f.offer(PUBLISHER).cause(), "486: the other takes no calls");
        f.cluster.perform(AdminAction.TAKE_CALLS, SUBSCRIBER, false, f.now);
        assertEquals(SUBSCRIBER, f.offer(PUBLISHER).redirectTo());
    }

    @Test
    void ca2_otherSip_behavesLikeTheTrunk() {
        DomainFixture f = DomainFixture.started(Integration.OTHER_SIP, 2);
        f.call(PUBLISHER);
        assertEquals(SUBSCRIBER, f.offer(PUBLISHER).redirectTo());
    }

    @Test
    void ca2_optionsProbe_followsWhetherTheServerTakesCalls() {
        // the SIP adapter answers OPTIONS 200 while acceptsCalls, 503 otherwise
        DomainFixture f = DomainFixture.sip(4);
        assertTrue(f.cluster.acceptsCalls(PUBLISHER));
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, PUBLISHER, false, f.now);
        assertFalse(f.cluster.acceptsCalls(PUBLISHER));
        f.cluster.perform(AdminAction.TAKE_CALLS, PUBLISHER, false, f.now);
        assertTrue(f.cluster.acceptsCalls(PUBLISHER));
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        assertFalse(f.cluster.acceptsCalls(SUBSCRIBER));
        assertTrue(f.cluster.takingCalls(SUBSCRIBER), "the flag is separate from the status");
    }

    @Test
    void ca2_lateOrUnknownEventsAreIgnored() {
        DomainFixture f = DomainFixture.sip(4);
        f.router.answered(-1, f.now);
        f.router.answered(99, f.now);
        f.router.ended(99, f.now);
        f.router.ended(0, f.now); // no call on it
        assertEquals(PortState.IDLE, f.ports.state(0));
    }

    // ------------------------------------------------------------------ PIMG/TIMG

    @Test
    void pimg_theNamedSharedPortAnswersOnItsHomeServer_busyOnEitherServer() {
        DomainFixture f = DomainFixture.started(Integration.PIMG, 8);
        RoutingDecision d = f.offer(SUBSCRIBER, 8);
        assertTrue(d.isAnswer());
        assertEquals(7, d.portIndex());
        assertEquals(SUBSCRIBER, f.ports.answeredBy(7));
        assertEquals(RefuseCause.PORT_BUSY, f.offer(PUBLISHER, 8).cause(), "busy on either server");
        assertEquals(RefuseCause.PORT_BUSY, f.offer(SUBSCRIBER, 8).cause());
        assertEquals(RefuseCause.UNKNOWN_PORT, f.offer(PUBLISHER, 9).cause());
        assertEquals(RefuseCause.UNKNOWN_PORT, f.offer(PUBLISHER, 0).cause());
        assertEquals(RefuseCause.UNKNOWN_PORT, f.offer(PUBLISHER, -1).cause());
        f.router.ended(7, f.now);
        assertEquals(SUBSCRIBER, f.offer(PUBLISHER, 8).redirectTo(), "PT-1: even ports are the subscriber's");
        assertTrue(f.offer(PUBLISHER, 7).isAnswer(), "odd ports the publisher's");
        assertEquals(PUBLISHER, f.ports.answeredBy(6));
    }

    @Test
    void pimg_aServerNotTakingCallsRefuses_andADisabledPortIsNotAllowed() {
        DomainFixture f = DomainFixture.started(Integration.PIMG, 2);
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, PUBLISHER, false, f.now);
        assertEquals(RefuseCause.NOT_TAKING_CALLS, f.offer(PUBLISHER, 1).cause());
        f.ports.setEnabled(1, false, f.now);
        assertEquals(RefuseCause.NOT_ALLOWED, f.offer(SUBSCRIBER, 2).cause());
    }

    // ------------------------------------------------------------------ CA-3 (SCCP)

    @Test
    void ca3_sccp_theRungDeviceAnswers_ifItBelongsToTheServerAndIsIdle() {
        DomainFixture f = DomainFixture.started(Integration.SCCP, 4); // pub 0..3, sub 4..7
        assertTrue(f.offer(SUBSCRIBER, 5).isAnswer());
        assertEquals(5, f.decision.portIndex());
        assertEquals(RefuseCause.PORT_BUSY, f.offer(SUBSCRIBER, 5).cause());
        assertEquals(RefuseCause.NOT_ALLOWED, f.offer(PUBLISHER, 6).cause(), "the device is the subscriber's");
        assertEquals(RefuseCause.UNKNOWN_PORT, f.offer(PUBLISHER, 8).cause());
        assertEquals(RefuseCause.UNKNOWN_PORT, f.offer(PUBLISHER, -1).cause());
        f.router.answered(5, f.now); // off hook
        assertEquals(PortState.IN_CALL, f.ports.state(5));
        f.router.ended(5, f.now); // on hook
        assertEquals(PortState.IDLE, f.ports.state(5));
    }

    @Test
    void ca3_sccp_devicesOfAServerThatMustNotTakeCalls_areOutOfService() {
        DomainFixture f = DomainFixture.started(Integration.SCCP, 4);
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        for (int p = 4; p < 8; p++) {
            assertEquals(PortState.OUT_OF_SERVICE, f.ports.state(p), "the adapter unregisters these");
        }
        assertEquals(RefuseCause.NOT_TAKING_CALLS, f.offer(SUBSCRIBER, 4).cause());
        f.ports.setRegistered(0, false, f.now);
        assertEquals(RefuseCause.NOT_TAKING_CALLS, f.offer(PUBLISHER, 0).cause());
        assertTrue(f.offer(PUBLISHER, 1).isAnswer());
    }

    // ------------------------------------------------------------------ CA-4

    @Test
    void ca4_stopTakingCalls_callsContinueDraining_drainedOnceWhenTheLastEnds() {
        DomainFixture f = DomainFixture.sip(8);
        int a = f.call(SUBSCRIBER);
        int b = f.call(SUBSCRIBER);
        f.offer(SUBSCRIBER);
        int ringing = f.decision.portIndex();
        ServerStatus before = f.cluster.status(SUBSCRIBER);

        ActionResult r = f.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, f.now);
        assertTrue(r.ok());
        assertEquals(3, r.callsAffected());
        assertEquals(before, f.cluster.status(SUBSCRIBER), "status unchanged");
        assertEquals(PortState.DRAINING, f.ports.state(a));
        assertEquals(PortState.DRAINING, f.ports.state(ringing));
        assertEquals(PortState.OUT_OF_SERVICE, f.ports.state(7), "an idle port takes no new call");
        assertEquals(RefuseCause.NOT_TAKING_CALLS, f.offer(SUBSCRIBER).cause());
        assertEquals(0, f.count(AlarmName.ServerDrained), "draining: calls are up");

        f.router.answered(ringing, f.now);
        assertEquals(PortState.DRAINING, f.ports.state(ringing), "answered while draining: still DRAINING");
        f.router.ended(a, f.now);
        f.router.ended(ringing, f.now);
        assertEquals(0, f.count(AlarmName.ServerDrained));
        f.router.ended(b, f.now);
        assertEquals(1, f.count(AlarmName.ServerDrained));
        assertEquals(SUBSCRIBER, f.alarms(AlarmName.ServerDrained).get(0).server());
        f.router.ended(b, f.now);
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, f.now);
        assertEquals(1, f.count(AlarmName.ServerDrained), "exactly once");
        assertEquals(PortState.OUT_OF_SERVICE, f.ports.state(a));
    }

    @Test
    void ca4_stopTakingCallsWithNoCallUp_drainedAtOnce() {
        DomainFixture f = DomainFixture.sip(8);
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, PUBLISHER, false, f.now);
        assertEquals(1, f.count(AlarmName.ServerDrained));
    }

    @Test
    void ca4_takeCallsUndoesIt() {
        DomainFixture f = DomainFixture.sip(8);
        int a = f.call(PUBLISHER);
        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, PUBLISHER, false, f.now);
        f.cluster.perform(AdminAction.TAKE_CALLS, PUBLISHER, false, f.now);
        assertEquals(PortState.IN_CALL, f.ports.state(a));
        assertTrue(f.offer(PUBLISHER).isAnswer());
        f.router.ended(a, f.now);
        assertEquals(0, f.count(AlarmName.ServerDrained), "no drain alarm after Take Calls");
        assertEquals(PortState.IDLE, f.ports.state(a));
    }

    // ------------------------------------------------------------------ CA-5

    @Test
    void ca5_manualPrimarySecondaryChangeAffectsNoCall_replicatingNone_deactivationDrops() {
        DomainFixture f = DomainFixture.sip(8);
        int p = f.call(PUBLISHER);
        int s = f.call(SUBSCRIBER);
        f.cluster.perform(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false, f.now);
        f.cluster.perform(AdminAction.MAKE_PRIMARY, PUBLISHER, false, f.now);
        assertEquals(PortState.IN_CALL, f.ports.state(p));
        assertEquals(PortState.IN_CALL, f.ports.state(s));
        f.cluster.onDatabaseNode(false, "Joined", 0, f.now); // this node's server replicates data a while
        f.cluster.onDatabaseNode(true, "Synced", 0, f.now);
        assertEquals(PortState.IN_CALL, f.ports.state(p));
        assertEquals(PortState.IN_CALL, f.ports.state(s));
        ActionResult r = f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, true, f.now);
        assertEquals(1, r.droppedCount());
        assertEquals(s, r.droppedPort(0));
        assertEquals(PortState.IN_CALL, f.ports.state(p));
    }

    @Test
    void ca5_aServerThatDiesLosesItsOwnCalls_theOthersAreNeverTouched() {
        DomainFixture f = DomainFixture.started(Integration.PIMG, 6);
        f.offer(PUBLISHER, 1);
        f.router.answered(0, f.now);
        f.offer(SUBSCRIBER, 2);
        f.router.answered(1, f.now);
        f.offer(SUBSCRIBER, 4);
        f.peerAlive = false;
        f.advanceMs(3_000);
        ActionResult r = f.cluster.onNetworkCheckResult(true, f.now);
        assertEquals(ServerStatus.NOT_FUNCTIONING, f.cluster.status(SUBSCRIBER));
        assertEquals(2, r.droppedCount());
        assertEquals(1, r.droppedPort(0));
        assertEquals(3, r.droppedPort(1));
        assertEquals(PortState.IN_CALL, f.ports.state(0));
        assertEquals(PUBLISHER, f.ports.answeredBy(0));
        assertTrue(f.offer(PUBLISHER, 2).isAnswer(), "the dead server's shared port is free for the survivor");
    }

    // ------------------------------------------------------------------ CA-6 (what the domain keeps for the record)

    @Test
    void ca6_thePortKeepsWhatTheCallRecordNeeds() {
        DomainFixture f = DomainFixture.sip(4);
        long offered = f.now;
        int p = f.offer(SUBSCRIBER).portIndex();
        int generation = f.ports.callGeneration(p);
        assertEquals(offered, f.ports.sinceNs(p));
        assertEquals(SUBSCRIBER, f.ports.answeredBy(p));
        f.now += 2 * DomainFixture.MS;
        f.router.answered(p, f.now);
        assertEquals(f.now, f.ports.sinceNs(p));
        f.now += 60_000 * DomainFixture.MS;
        f.router.ended(p, f.now);
        assertEquals(f.now, f.ports.sinceNs(p));
        assertEquals(generation, f.ports.callGeneration(p), "the generation changes only with the next call");
        assertEquals("sub-sip-001", f.plan.port(p).name());
        assertEquals(Integration.SIP_TRUNK, f.plan.port(p).integration());
    }

    // ------------------------------------------------------------------ PT-3

    @Test
    void pt3_whenOneServerStopsAnswering_theOtherTakesEveryCall_andItsShareAgainLater() {
        DomainFixture f = DomainFixture.sip(8);
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        for (int i = 0; i < 4; i++) {
            f.call(PUBLISHER); // answered: the server is full of calls (a full server of offers is OVERLOADED)
        }
        assertEquals(RefuseCause.NO_PORT_FREE, f.offer(PUBLISHER).cause(), "absorb is off: its own 4 ports only");
        assertEquals(RefuseCause.NOT_TAKING_CALLS, f.offer(SUBSCRIBER).cause());
        f.cluster.perform(AdminAction.ACTIVATE, SUBSCRIBER, false, f.now);
        assertEquals(SUBSCRIBER, f.offer(PUBLISHER).redirectTo());
        assertTrue(f.offer(SUBSCRIBER).isAnswer(), "it takes its share again");
    }

    @Test
    void pt3_absorbPeerPortsOnFailover_theSurvivorUsesTheFailedServersSipPorts() {
        ClusterSettings s = new DomainFixture.Settings().absorb(true).build();
        DomainFixture f = DomainFixture.started(io.vmport.config.ServerName.PUBLISHER, Integration.SIP_TRUNK, 8, s);
        int peerCallBefore = f.call(SUBSCRIBER);
        f.peerAlive = false;
        f.advanceMs(3_000);
        f.cluster.onNetworkCheckResult(true, f.now);
        assertFalse(f.ports.inCall(peerCallBefore), "the dead server's call is gone");
        assertEquals(PortState.IDLE, f.ports.state(4), "the survivor shows the absorbed ports as its capacity");
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RoutingDecision d = f.offer(PUBLISHER);
            assertTrue(d.isAnswer(), "call " + i + ": " + d);
            got.add(d.portIndex());
            f.router.answered(d.portIndex(), f.now);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), got, "its own first, then the peer's");
        assertEquals(PUBLISHER, f.ports.answeredBy(6));
        assertEquals(RefuseCause.NO_PORT_FREE, f.offer(PUBLISHER).cause());

        // the subscriber comes back: it answers again; the survivor's calls on its ports are not touched
        f.peerAlive = true;
        f.peerReports = ServerStatus.SECONDARY;
        f.advanceMs(500);
        assertEquals(ServerStatus.SECONDARY, f.cluster.status(SUBSCRIBER));
        assertEquals(PortState.IN_CALL, f.ports.state(6));
        assertEquals(RefuseCause.NO_PORT_FREE, f.offer(SUBSCRIBER).cause());
        f.router.ended(6, f.now);
        assertTrue(f.offer(SUBSCRIBER).isAnswer());
        assertEquals(6, f.decision.portIndex());
        f.router.ended(1, f.now);
        f.router.ended(2, f.now);
        f.router.ended(5, f.now);
        assertEquals(1, f.offer(PUBLISHER).portIndex(), "no longer absorbing: its own ports only");
        assertEquals(2, f.offer(PUBLISHER).portIndex());
        assertTrue(f.offer(PUBLISHER).isRedirect());
    }

    @Test
    void pt3_absorbNeverAppliesToSccp() {
        ClusterSettings s = new DomainFixture.Settings().absorb(true).build();
        DomainFixture f = DomainFixture.started(io.vmport.config.ServerName.PUBLISHER, Integration.SCCP, 2, s);
        f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, f.now);
        assertEquals(PortState.OUT_OF_SERVICE, f.ports.state(2));
        assertEquals(RefuseCause.NOT_ALLOWED, f.offer(PUBLISHER, 2).cause());
    }

    // ------------------------------------------------------------------ construction

    @Test
    void constructorRefusesMismatchedParts() {
        DomainFixture f = DomainFixture.sip(4);
        PortPlan otherPlan = PortPlan.of(Integration.SIP_TRUNK, 4);
        PortTable otherTable = new PortTable(otherPlan, f.ports.huntOrder());
        assertThrows(IllegalArgumentException.class, () -> new Router(f.cluster, otherPlan, otherTable,
                AlarmSink.NONE));
        assertThrows(IllegalArgumentException.class, () -> new Router(f.cluster, otherPlan, f.ports, AlarmSink.NONE));
        Router r = new Router(f.cluster);
        assertSame(f.ports, r.ports());
        assertSame(f.plan, r.plan());
        Cluster c = r.cluster();
        assertSame(f.cluster, c);
    }
}
