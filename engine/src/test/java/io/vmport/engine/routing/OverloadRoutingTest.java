package io.vmport.engine.routing;

import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.engine.cluster.DomainFixture;
import io.vmport.engine.ports.PortState;
import org.junit.jupiter.api.Test;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC CA-1 and BI-1 (issue 16 item 6): a SIP server with no idle port redirects (302) only when it is full of
 * calls; when its ports are held by calls still being set up (RINGING: claimed, not yet answered) it is a queue,
 * and the call is refused OVERLOADED (503 with Retry-After) so that a flood is shed where it lands instead of
 * passed on to the other server. The events are stepped one by one; no clock, no thread.
 */
class OverloadRoutingTest {

    @Test
    void ca1_bi1_aServerFullOfRingingCallsShedsInsteadOfRedirecting_oneFullOfConnectedCallsRedirects() {
        DomainFixture f = DomainFixture.sip(8); // 4 ports each; the subscriber has all of its own free
        int[] p = new int[4];
        for (int i = 0; i < 4; i++) {
            p[i] = f.offer(PUBLISHER).portIndex();
        }
        assertEquals(4, f.ports.callsRinging(PUBLISHER));
        RoutingDecision d = f.offer(PUBLISHER);
        assertEquals(RoutingDecision.Kind.REFUSE, d.kind(), "4 of 4 calls ringing: a queue, not a full server");
        assertEquals(RefuseCause.OVERLOADED, d.cause());
        assertEquals(4, f.ports.callsInProgress(PUBLISHER), "the refused call claimed no port");

        f.router.answered(p[0], f.now);
        assertEquals(RefuseCause.OVERLOADED, f.offer(PUBLISHER).cause(), "3 of 4 ringing: past the default 50%");
        f.router.answered(p[1], f.now);
        assertEquals(2, f.ports.callsRinging(PUBLISHER));
        assertEquals(SUBSCRIBER, f.offer(PUBLISHER).redirectTo(), "2 of 4 ringing: at 50%, a full server");
        f.router.answered(p[1], f.now); // a repeated ACK changes no count
        assertEquals(2, f.ports.callsRinging(PUBLISHER));

        f.cluster.perform(AdminAction.STOP_TAKING_CALLS, SUBSCRIBER, false, f.now);
        assertEquals(RefuseCause.NO_PORT_FREE, f.offer(PUBLISHER).cause(), "full of calls, nowhere else: 486");
        f.router.ended(p[0], f.now);
        int again = f.offer(PUBLISHER).portIndex();
        assertEquals(p[0], again, "the freed port answers the next call");
        assertEquals(RefuseCause.OVERLOADED, f.offer(PUBLISHER).cause(), "3 of 4 ringing, nowhere else: still 503");
    }

    @Test
    void ca2_bi1_aCancelledOrDroppedRingingCallFreesItsPortAndItsCount() {
        DomainFixture f = DomainFixture.sip(8);
        int cancelled = f.offer(PUBLISHER).portIndex();
        f.offer(PUBLISHER);
        f.call(PUBLISHER);
        assertEquals(2, f.ports.callsRinging(PUBLISHER));
        f.router.ended(cancelled, f.now); // CANCEL while ringing
        assertEquals(PortState.IDLE, f.ports.state(cancelled));
        assertEquals(1, f.ports.callsRinging(PUBLISHER));
        f.router.ended(cancelled, f.now); // a late second end of the same call
        assertEquals(1, f.ports.callsRinging(PUBLISHER));

        f.offer(SUBSCRIBER);
        assertTrue(f.cluster.perform(AdminAction.DEACTIVATE, SUBSCRIBER, true, f.now).ok()); // CA-5: its calls drop
        assertEquals(0, f.ports.callsRinging(SUBSCRIBER));
        assertEquals(0, f.ports.callsInProgress(SUBSCRIBER));
        assertEquals(1, f.ports.callsRinging(PUBLISHER), "the other server's calls are untouched");
    }

    @Test
    void ca1_threshold100AlwaysRedirects_andOutside0To100IsRefused() {
        DomainFixture f = DomainFixture.sip(4);
        Router always = new Router(f.cluster, f.plan, f.ports, AlarmSink.NONE, 100);
        RoutingDecision d = new RoutingDecision();
        always.offer(PUBLISHER, -1, f.now, d);
        always.offer(PUBLISHER, -1, f.now, d);
        always.offer(PUBLISHER, -1, f.now, d);
        assertEquals(SUBSCRIBER, d.redirectTo(), "100%: the server full of ringing calls still redirects");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Router(f.cluster, f.plan, f.ports, AlarmSink.NONE, 101));
        assertTrue(e.getMessage().contains("redirectMaxRingingPercent=101"), e.getMessage());
    }
}
