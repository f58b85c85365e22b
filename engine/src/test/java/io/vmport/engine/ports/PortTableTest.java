package io.vmport.engine.ports;

import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC PT-2 (live state) and PT-4 (hunt order), on the port table alone. */
class PortTableTest {

    private static PortTable table(Integration integration, int n, HuntOrder order) {
        PortTable t = new PortTable(PortPlan.of(integration, n), order);
        t.applyServerFlags(true, true, false, false, 0);
        return t;
    }

    private static List<Integer> claimAll(PortTable t, ServerName s, int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(t.claimIdle(s, 0));
        }
        return out;
    }

    // ------------------------------------------------------------------ PT-4

    @Test
    void pt4_topDown_alwaysTheLowestIdlePort() {
        PortTable t = table(Integration.SIP_TRUNK, 10, HuntOrder.TOP_DOWN); // publisher 0..4
        assertEquals(List.of(0, 1, 2), claimAll(t, PUBLISHER, 3));
        t.release(1, 1);
        t.release(0, 1);
        assertEquals(List.of(0, 1, 3, 4, -1), claimAll(t, PUBLISHER, 5));
    }

    @Test
    void pt4_circular_theNextIdleAfterTheLastPicked_wrapping() {
        PortTable t = table(Integration.SIP_TRUNK, 10, HuntOrder.CIRCULAR); // subscriber 5..9
        assertEquals(List.of(5, 6, 7), claimAll(t, SUBSCRIBER, 3));
        t.release(5, 1);
        assertEquals(List.of(8, 9, 5, -1), claimAll(t, SUBSCRIBER, 4));
        t.release(7, 2);
        t.release(6, 2);
        assertEquals(List.of(6, 7), claimAll(t, SUBSCRIBER, 2), "wraps past the end to the first idle after 5");
    }

    @Test
    void pt4_longestIdle_theFirstFreedIsTheFirstTaken() {
        PortTable t = table(Integration.SIP_TRUNK, 10, HuntOrder.LONGEST_IDLE);
        assertEquals(List.of(0, 1, 2, 3, 4), claimAll(t, PUBLISHER, 5));
        t.release(3, 10);
        t.release(0, 20);
        t.release(4, 30);
        assertEquals(List.of(3, 0, 4, -1), claimAll(t, PUBLISHER, 4));
    }

    @Test
    void pt4_longestIdle_specificClaimsTakeAPortOutOfTheMiddle() {
        PortTable t = table(Integration.SCCP, 4, HuntOrder.LONGEST_IDLE);
        assertTrue(t.claim(1, PUBLISHER, 0));
        assertFalse(t.claim(1, PUBLISHER, 0));
        assertEquals(List.of(0, 2, 3, -1), claimAll(t, PUBLISHER, 4));
    }

    @Test
    void pt4_huntOrderCanChangeWhileCallsAreUp() {
        PortTable t = table(Integration.SIP_TRUNK, 10, HuntOrder.TOP_DOWN);
        int busy = t.claimIdle(PUBLISHER, 0);
        t.setHuntOrder(HuntOrder.CIRCULAR);
        assertEquals(HuntOrder.CIRCULAR, t.huntOrder());
        assertEquals(List.of(1, 2, 3, 4, -1), claimAll(t, PUBLISHER, 5));
        assertTrue(t.inCall(busy));
        assertEquals(5, t.callsInProgress(PUBLISHER));
    }

    // ------------------------------------------------------------------ PT-2

    @Test
    void pt2_liveStates_idleRingingInCallDrainingOutOfService() {
        PortTable t = new PortTable(PortPlan.of(Integration.SIP_TRUNK, 4), HuntOrder.TOP_DOWN);
        assertEquals(PortState.OUT_OF_SERVICE, t.state(0), "no server answers before the cluster says so");
        t.applyServerFlags(true, true, false, false, 5);
        assertEquals(PortState.IDLE, t.state(0));
        assertEquals(5, t.sinceNs(0));

        int p = t.claimIdle(PUBLISHER, 10);
        assertEquals(PortState.RINGING, t.state(p));
        assertEquals(PUBLISHER, t.answeredBy(p));
        assertEquals(10, t.sinceNs(p));
        assertTrue(t.answer(p, 20));
        assertFalse(t.answer(p, 21), "a repeated ACK changes nothing");
        assertEquals(PortState.IN_CALL, t.state(p));
        assertEquals(20, t.sinceNs(p));

        t.applyServerFlags(false, true, false, false, 30);
        assertEquals(PortState.DRAINING, t.state(p));
        assertEquals(PortState.OUT_OF_SERVICE, t.state(1));
        assertEquals(PortState.IDLE, t.state(2), "the other server's ports are untouched");

        assertEquals(PUBLISHER, t.release(p, 40));
        assertNull(t.release(p, 41), "a second BYE finds no call");
        assertEquals(PortState.OUT_OF_SERVICE, t.state(p));
        assertNull(t.answeredBy(p));
        assertEquals(0, t.callsInProgress(PUBLISHER));
    }

    @Test
    void pt2_disabledPortIsOutOfService_andNotHunted() {
        PortTable t = table(Integration.SIP_TRUNK, 4, HuntOrder.TOP_DOWN);
        t.setEnabled(0, false, 1);
        assertEquals(PortState.OUT_OF_SERVICE, t.state(0));
        assertEquals(1, t.claimIdle(PUBLISHER, 2));
        assertEquals(-1, t.claimIdle(PUBLISHER, 2));
        t.setEnabled(1, false, 3);
        assertEquals(PortState.DRAINING, t.state(1), "its call continues");
        t.release(1, 4);
        assertEquals(PortState.OUT_OF_SERVICE, t.state(1));
        assertEquals(-1, t.claimIdle(PUBLISHER, 5));
        t.setEnabled(0, true, 6);
        assertEquals(0, t.claimIdle(PUBLISHER, 7));
    }

    @Test
    void pt2_unregisteredSccpDeviceIsOutOfService() {
        PortTable t = table(Integration.SCCP, 2, HuntOrder.TOP_DOWN);
        t.setRegistered(2, false, 1);
        assertEquals(PortState.OUT_OF_SERVICE, t.state(2));
        assertFalse(t.claim(2, SUBSCRIBER, 2));
        t.setRegistered(2, true, 3);
        assertEquals(PortState.IDLE, t.state(2));
        assertTrue(t.claim(2, SUBSCRIBER, 4));
    }

    @Test
    void pt2_portsThatCannotAnswerAreNeverHunted() {
        PortPlan shape = PortPlan.of(Integration.SIP_TRUNK, 4);
        List<Port> ports = new ArrayList<>(shape.ports());
        ports.set(0, ports.get(0).withCapabilities(false, true, true)); // an MWI/notification-only port
        PortTable t = new PortTable(PortPlan.of(Integration.SIP_TRUNK, 4, ports), HuntOrder.TOP_DOWN);
        t.applyServerFlags(true, true, false, false, 0);
        assertEquals(1, t.claimIdle(PUBLISHER, 1));
        assertEquals(-1, t.claimIdle(PUBLISHER, 1));
    }

    @Test
    void pt2_sharedPort_isInAtMostOneCallAcrossTheCluster() {
        PortTable t = table(Integration.PIMG, 4, HuntOrder.TOP_DOWN);
        assertTrue(t.claim(2, PUBLISHER, 1));
        assertFalse(t.claim(2, SUBSCRIBER, 1), "never both at once");
        assertEquals(PUBLISHER, t.answeredBy(2));
        t.release(2, 2);
        assertTrue(t.claim(2, SUBSCRIBER, 3));
        assertEquals(SUBSCRIBER, t.answeredBy(2));
        t.applyServerFlags(false, true, false, false, 4);
        assertEquals(PortState.IDLE, t.state(0), "a shared port stays IDLE while either server answers");
        t.applyServerFlags(false, false, false, false, 5);
        assertEquals(PortState.OUT_OF_SERVICE, t.state(0));
    }

    @Test
    void callGenerationChangesWithEachCall() {
        PortTable t = table(Integration.SIP_TRUNK, 2, HuntOrder.TOP_DOWN);
        int p = t.claimIdle(PUBLISHER, 0);
        int g = t.callGeneration(p);
        t.release(p, 1);
        assertEquals(p, t.claimIdle(PUBLISHER, 2));
        assertEquals(g + 1, t.callGeneration(p));
    }

    @Test
    void dropCalls_endsOnlyThatServersCalls_andListsTheirPorts() {
        PortTable t = table(Integration.PIMG, 6, HuntOrder.TOP_DOWN);
        t.claim(0, PUBLISHER, 0);
        t.claim(1, SUBSCRIBER, 0);
        t.claim(4, PUBLISHER, 0);
        int[] dropped = t.dropCalls(PUBLISHER, 9);
        assertEquals(2, dropped.length);
        assertEquals(0, dropped[0]);
        assertEquals(4, dropped[1]);
        assertTrue(t.inCall(1));
        assertEquals(0, t.callsInProgress(PUBLISHER));
        assertEquals(1, t.callsInProgress(SUBSCRIBER));
        assertEquals(9, t.sinceNs(0));
    }
}
