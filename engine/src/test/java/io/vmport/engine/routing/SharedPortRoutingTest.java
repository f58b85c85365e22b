package io.vmport.engine.routing;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.DomainFixture;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.ports.PortState;
import org.junit.jupiter.api.Test;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PIMG/TIMG shared ports across two nodes (SPEC PT-1, PT-3, CA-1): each node has its own router and sees only the
 * calls that landed on its own server, as in the running cluster; a test plays the gateway by offering to either.
 */
class SharedPortRoutingTest {
    private static final int N = 8;

    private final DomainFixture pub = DomainFixture.started(PUBLISHER, Integration.PIMG, N, ClusterSettings.defaults());
    private final DomainFixture sub = DomainFixture.started(SUBSCRIBER, Integration.PIMG, N, ClusterSettings.defaults());

    private DomainFixture node(ServerName server) {
        return server == PUBLISHER ? pub : sub;
    }

    /** Gateway port k (1..N) offered to {@code server}'s node. */
    private RoutingDecision offer(ServerName server, int gatewayPort) {
        return node(server).offer(server, gatewayPort);
    }

    @Test
    void pt1_ca1_bothServersTakeCalls_oddPortsAnswerOnThePublisher_evenOnTheSubscriber_theOtherRedirects() {
        for (int k = 1; k <= N; k++) {
            ServerName home = k % 2 == 1 ? PUBLISHER : SUBSCRIBER;
            assertEquals(home, pub.router.homeOf(k - 1));
            RoutingDecision away = offer(home.other(), k);
            assertEquals(RoutingDecision.Kind.REDIRECT, away.kind(), "port " + k + " landed on " + home.other());
            assertEquals(home, away.redirectTo());
            RoutingDecision atHome = offer(home, k);
            assertTrue(atHome.isAnswer(), "port " + k + " at home: " + atHome);
            assertEquals(k - 1, atHome.portIndex());
            assertEquals(home, node(home).ports.answeredBy(k - 1));
        }
        assertEquals(N / 2, pub.cluster.callsInProgress(PUBLISHER));
        assertEquals(N / 2, sub.cluster.callsInProgress(SUBSCRIBER));
    }

    @Test
    void pt1_twoInvitesForOnePortRacingToBothServers_exactlyOneIsAnswered_theRedirectedOneThenFindsItBusy() {
        for (int k = 1; k <= N; k++) {
            RoutingDecision toPub = offer(PUBLISHER, k);
            boolean pubAnswered = toPub.isAnswer();
            ServerName redirectedTo = toPub.redirectTo();
            RoutingDecision toSub = offer(SUBSCRIBER, k);
            boolean subAnswered = toSub.isAnswer();
            assertTrue(pubAnswered ^ subAnswered, "port " + k + ": exactly one answer, publisher " + pubAnswered
                    + ", subscriber " + subAnswered);
            ServerName winner = pubAnswered ? PUBLISHER : SUBSCRIBER;
            if (!pubAnswered) {
                assertEquals(SUBSCRIBER, redirectedTo);
            } else {
                assertEquals(PUBLISHER, toSub.redirectTo());
            }
            // the gateway follows the 302 to the winner: busy there
            assertEquals(RefuseCause.PORT_BUSY, offer(winner, k).cause(), "port " + k);
        }
    }

    @Test
    void pt1_aPortOutsideThePlan_isUnknownOnBothServers_andNeverRedirected() {
        for (ServerName s : ServerName.values()) {
            for (int k : new int[] {0, -1, N + 1, Integer.MAX_VALUE}) {
                RoutingDecision d = offer(s, k);
                assertEquals(RefuseCause.UNKNOWN_PORT, d.cause(), s + " port " + k + ": " + d);
            }
        }
        assertNull(pub.router.homeOf(N));
    }

    @Test
    void ca4_theServerLandedOnDoesNotTakeCalls_refusedNotTakingCalls_notRedirected() {
        pub.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, pub.now);
        sub.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, sub.now);
        assertEquals(RefuseCause.NOT_TAKING_CALLS, offer(SUBSCRIBER, 1).cause());
        assertEquals(RefuseCause.NOT_TAKING_CALLS, offer(SUBSCRIBER, 2).cause());
    }

    @Test
    void pt3_ca4_theOtherServerStopsTakingCalls_thisOneAnswersEveryPort_andItsShareReturnsWithTakeCalls() {
        pub.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, pub.now);
        for (int k = 1; k <= N; k++) {
            assertTrue(offer(PUBLISHER, k).isAnswer(), "port " + k);
            pub.router.ended(k - 1, pub.now);
        }
        pub.cluster.perform(AdminAction.TAKE_CALLS, SUBSCRIBER, false, pub.now);
        assertEquals(SUBSCRIBER, offer(PUBLISHER, 2).redirectTo(), "the subscriber's share again");
        assertTrue(offer(PUBLISHER, 1).isAnswer());
    }

    @Test
    void pt3_theOtherServerIsDeactivated_thisOneAnswersEveryPort() {
        assertTrue(pub.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, false, pub.now).ok());
        for (int k = 1; k <= N; k++) {
            assertTrue(offer(PUBLISHER, k).isAnswer(), "port " + k);
        }
    }

    @Test
    void pt3_theOtherServerDies_theSurvivorAnswersEveryPort() {
        sub.peerAlive = false;
        sub.advanceMs(sub.cluster.settings().localHeartbeatTimeoutMs() + 100);
        sub.cluster.onNetworkCheckResult(true, sub.now);
        assertEquals(ServerStatus.NOT_FUNCTIONING, sub.cluster.status(PUBLISHER));
        for (int k = 1; k <= N; k++) {
            assertTrue(offer(SUBSCRIBER, k).isAnswer(), "port " + k);
        }
    }

    /**
     * PT-3 on return: the publisher held calls on the subscriber's home ports while the subscriber was down. When
     * the subscriber takes its share back, those ports stay busy on both nodes until the publisher's calls end:
     * on the publisher because the call is its own, on the subscriber because the publisher's heartbeat says so.
     */
    @Test
    void pt3_callsHeldThroughTheOutage_stayWhereTheyAre_whenTheHomeServerReturns() {
        pub.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, pub.now);
        sub.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, sub.now);
        assertTrue(offer(PUBLISHER, 2).isAnswer(), "the subscriber's home port, while it takes no calls");
        pub.router.answered(1, pub.now);
        pub.cluster.perform(AdminAction.TAKE_CALLS, SUBSCRIBER, false, pub.now);
        sub.cluster.perform(AdminAction.TAKE_CALLS, SUBSCRIBER, false, sub.now);

        assertEquals(RefuseCause.PORT_BUSY, offer(PUBLISHER, 2).cause(), "kept local, not redirected");
        sub.router.peerPortChanged(1, PortState.IN_CALL); // the publisher's heartbeat delta
        assertTrue(sub.router.peerHolds(1));
        assertEquals(RefuseCause.PORT_BUSY, offer(SUBSCRIBER, 2).cause(), "the home server knows the port is busy");
        assertTrue(offer(SUBSCRIBER, 4).isAnswer(), "its other ports answer");

        pub.router.ended(1, pub.now);
        sub.router.peerPortChanged(1, PortState.IDLE);
        assertEquals(SUBSCRIBER, offer(PUBLISHER, 2).redirectTo());
        assertTrue(offer(SUBSCRIBER, 2).isAnswer());
    }

    @Test
    void pt3_thePeersPortStatesAreForgottenWhenTheLinkIsLost_andIgnoredOutsideThePlan() {
        sub.router.peerPortChanged(1, PortState.RINGING);
        sub.router.peerPortChanged(3, PortState.DRAINING);
        sub.router.peerPortChanged(N, PortState.IN_CALL);
        sub.router.peerPortChanged(-1, PortState.IN_CALL);
        assertEquals(RefuseCause.PORT_BUSY, offer(SUBSCRIBER, 2).cause());
        assertEquals(RefuseCause.PORT_BUSY, offer(SUBSCRIBER, 4).cause());
        sub.router.peerPortChanged(3, PortState.OUT_OF_SERVICE);
        assertTrue(offer(SUBSCRIBER, 4).isAnswer());
        sub.router.peerLost();
        assertFalse(sub.router.peerHolds(1));
        assertTrue(offer(SUBSCRIBER, 2).isAnswer());
    }

    /** CA-1: the home server decides; a heartbeat's news that the port is busy there may be stale already. */
    @Test
    void pt1_theNonHomeServerRedirects_evenWhileThePeersHeartbeatSaysThePortIsBusy() {
        pub.router.peerPortChanged(1, PortState.IN_CALL); // port 2: the subscriber's, its call may have ended since
        assertEquals(SUBSCRIBER, offer(PUBLISHER, 2).redirectTo());
        pub.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, pub.now);
        assertEquals(RefuseCause.PORT_BUSY, offer(PUBLISHER, 2).cause(), "answering itself, it must not take it");
        pub.router.peerPortChanged(1, PortState.IDLE);
        assertTrue(offer(PUBLISHER, 2).isAnswer());
    }

    @Test
    void ca1_otherIntegrationsHaveNoHomeAndIgnorePeerPortStates() {
        DomainFixture sip = DomainFixture.started(Integration.OTHER_SIP, 4);
        assertNull(sip.router.homeOf(0));
        sip.router.peerPortChanged(0, PortState.IN_CALL);
        assertFalse(sip.router.peerHolds(0));
        assertTrue(sip.offer(PUBLISHER).isAnswer());
    }
}
