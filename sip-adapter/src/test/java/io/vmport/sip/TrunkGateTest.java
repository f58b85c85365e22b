package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BI-1: sources outside the allowed list get 403; a full trunk answers 503 at once instead of queueing. */
class TrunkGateTest {

    @Test
    void disallowedSourceGets403ForAnyRequestAndNothingReachesTheEngine() throws Exception {
        TestListener listener = new TestListener();
        int port = TestPorts.freeUdpAndTcp();
        // the trunk allows only a PBX that is not loopback, so the test's own datagrams are outsiders
        try (SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, a -> !a.isLoopbackAddress()),
                listener); RawPbx pbx = new RawPbx(port)) {
            trunk.start();
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            SipText forbidden = pbx.awaitFinal("INVITE");
            assertEquals(403, forbidden.status());
            pbx.send(c.sameTransaction("ACK", forbidden.toTag())); // dropped, never answered
            pbx.send(pbx.options());
            assertEquals(403, pbx.awaitFinal("OPTIONS").status());
            pbx.send(pbx.options().replace("OPTIONS", "FOO"));
            assertEquals(403, pbx.awaitFinal("FOO").status());
            assertNull(listener.invites.poll());
            assertEquals(1, trunk.counters().refused(403));
            assertEquals(2, trunk.counters().rejected(403));
            assertTrue(pbx.received.stream().noneMatch(m -> m.isResponse() && m.status() == 100),
                    "no 100 Trying for an outsider: " + pbx.received);
        }
    }

    @Test
    void fullTrunkAnswers503WithRetryAfterAtOnce() throws Exception {
        TestListener listener = new TestListener(); // leaves every offer pending
        int port = TestPorts.freeUdpAndTcp();
        SipTrunkSettings settings = SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress)
                .withMaxCalls(2).withRetryAfterSeconds(5);
        try (SipTrunk trunk = new SipTrunk(settings, listener); RawPbx pbx = new RawPbx(port)) {
            trunk.start();
            RawPbx.Call first = pbx.new Call();
            RawPbx.Call second = pbx.new Call();
            pbx.send(first.invite(null, RawPbx.SDP_PCMU));
            pbx.send(second.invite(null, RawPbx.SDP_PCMU));
            SipCall a = TestListener.next(listener.invites, "first onInvite");
            SipCall b = TestListener.next(listener.invites, "second onInvite");
            assertEquals(2, trunk.counters().activeCalls());

            RawPbx.Call third = pbx.new Call();
            pbx.send(third.invite(null, RawPbx.SDP_PCMU));
            SipText busy = pbx.await(m -> m.isResponse() && m.status() >= 200
                    && third.callId.equals(m.header("Call-ID")), "final response to the third INVITE");
            assertEquals(503, busy.status());
            assertEquals("5", busy.header("Retry-After"));
            assertEquals(1, trunk.counters().overloadRejected());
            assertTrue(pbx.received.stream().noneMatch(m -> third.callId.equals(m.header("Call-ID")) && m.status() == 100),
                    "the third INVITE got no 100 Trying: it was refused before any work");

            // a slot frees when a call ends; the next INVITE is offered again
            a.refuse(Refusal.BUSY);
            b.refuse(Refusal.BUSY);
            assertEquals(0, trunk.counters().activeCalls());
            RawPbx.Call fourth = pbx.new Call();
            pbx.send(fourth.invite(null, RawPbx.SDP_PCMU));
            SipCall d = TestListener.next(listener.invites, "fourth onInvite");
            assertEquals(fourth.callId, d.callId());
            d.refuse(Refusal.BUSY);
            assertNull(listener.invites.poll(), "the refused INVITE reached the engine: " + List.copyOf(listener.invites));
        }
    }
}
