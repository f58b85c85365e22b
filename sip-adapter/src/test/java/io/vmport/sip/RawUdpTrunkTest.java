package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** CA-2 and BI-1 driven by raw UDP datagrams: exact responses to good, bad and odd requests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawUdpTrunkTest {

    private final TestListener listener = new TestListener();
    private SipTrunk trunk;
    private int port;

    @BeforeAll
    void start() throws Exception {
        port = TestPorts.freeUdpAndTcp();
        trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress)
                .withRetryAfterSeconds(17), listener);
        trunk.start();
    }

    @AfterAll
    void stop() {
        trunk.stop();
    }

    @BeforeEach
    void reset() {
        listener.invites.clear();
        listener.connected.clear();
        listener.ended.clear();
        listener.takingCalls = true;
        listener.policy = call -> { };
    }

    @Test
    void basicCallGets100Then180Then200WithSdpAnswerThenAckConnectsAndByeEnds() throws Exception {
        listener.policy = call -> call.answer(20_000);
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite("Diversion: \"Bob\" <sip:2002@pbx;user=phone>;reason=no-answer;counter=1\r\n",
                    RawPbx.SDP_PCMU));
            pbx.awaitResponse(100, "INVITE");
            SipText ringing = pbx.awaitResponse(180, "INVITE");
            SipText ok = pbx.awaitResponse(200, "INVITE");
            assertNotNull(ringing.toTag(), "180 carries a To tag: " + ringing);
            assertEquals(ringing.toTag(), ok.toTag());
            assertEquals("application/sdp", ok.header("Content-Type"));
            assertTrue(ok.header("Contact").contains("127.0.0.1:" + port), ok.toString());
            assertTrue(ok.body().contains("m=audio 20000 RTP/AVP 0 101\r\n"), ok.body());
            assertTrue(ok.body().contains("c=IN IP4 127.0.0.1\r\n"), ok.body());
            assertTrue(ok.body().contains("a=rtpmap:0 PCMU/8000\r\n"), ok.body());

            SipCall call = TestListener.next(listener.invites, "onInvite");
            assertEquals(c.callId, call.callId());
            assertEquals("1001", call.caller());
            assertEquals("Alice", call.callerName());
            assertEquals("7000", call.called());
            assertEquals("7000", call.requestUriUser());
            assertEquals("2002", call.redirecting());
            assertEquals(CallReason.FORWARDED_NO_ANSWER, call.reason());
            assertEquals(InetAddress.getLoopbackAddress(), call.remoteAddress());
            assertEquals(pbx.socket.getLocalPort(), call.remotePort());

            c.toTag = ok.toTag();
            pbx.send(c.inDialog("ACK", 1, null));
            assertEquals(call, TestListener.next(listener.connected, "onConnected"));
            pbx.send(c.inDialog("BYE", 2, null));
            pbx.awaitResponse(200, "BYE");
            TestListener.Ended ended = TestListener.next(listener.ended, "onEnded");
            assertEquals(call, ended.call());
            assertEquals(EndReason.REMOTE_BYE, ended.reason());
        }
    }

    @Test
    void retransmittedInviteIsAbsorbedAndOfferedOnce() throws Exception {
        long absorbedBefore = trunk.counters().retransmissionsAbsorbed();
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            String invite = c.invite(null, RawPbx.SDP_PCMU);
            pbx.send(invite);
            pbx.awaitResponse(100, "INVITE");
            SipCall call = TestListener.next(listener.invites, "onInvite");
            pbx.send(invite); // the same datagram again, as a PBX retransmits after T1
            pbx.awaitResponse(100, "INVITE"); // the transaction resends its last response
            assertEquals(absorbedBefore + 1, trunk.counters().retransmissionsAbsorbed());
            assertTrue(call.answer(20_002));
            SipText ok = pbx.awaitResponse(200, "INVITE");
            pbx.send(invite); // and once more after the answer
            c.toTag = ok.toTag();
            pbx.send(c.inDialog("ACK", 1, null));
            TestListener.next(listener.connected, "onConnected");
            pbx.send(c.inDialog("BYE", 2, null));
            pbx.awaitResponse(200, "BYE");
            TestListener.next(listener.ended, "onEnded");
            assertNull(listener.invites.poll(), "a retransmission was offered as a new call");
        }
    }

    @Test
    void optionsIs200WhileTakingCallsAnd503WithRetryAfterWhenNot() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            pbx.send(pbx.options());
            SipText ok = pbx.awaitFinal("OPTIONS");
            assertEquals(200, ok.status());
            assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS", ok.header("Allow"));
            listener.takingCalls = false;
            pbx.send(pbx.options());
            SipText unavailable = pbx.awaitFinal("OPTIONS");
            assertEquals(503, unavailable.status());
            assertEquals("17", unavailable.header("Retry-After"));
            assertNotNull(unavailable.header("Allow"));
        }
    }

    @Test
    void unknownMethodIs405WithAllow() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            String foo = pbx.options().replace("OPTIONS", "FOO");
            pbx.send(foo);
            SipText response = pbx.awaitFinal("FOO");
            assertEquals(405, response.status());
            assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS", response.header("Allow"));
        }
    }

    @Test
    void garbageIsIgnoredAndTheTrunkGoesOn() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            pbx.send(new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, '\r', '\n'});
            pbx.send("HELLO WORLD\r\n\r\n");
            pbx.send("INVITE sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n");
            pbx.send(pbx.options());
            SipText ok = pbx.awaitFinal("OPTIONS");
            assertEquals(200, ok.status());
        }
    }

    @Test
    void missingCallIdGets400() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            String invite = c.invite(null, RawPbx.SDP_PCMU).replaceAll("Call-ID: [^\r]*\r\n", "");
            pbx.send(invite);
            SipText response = pbx.awaitFinal("INVITE");
            assertEquals(400, response.status(), response.toString());
        }
    }

    @Test
    void brokenSdpIs400AndUnacceptableSdpIs488() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call broken = pbx.new Call();
            pbx.send(broken.invite(null, "this is not sdp\r\n"));
            assertEquals(400, pbx.awaitFinal("INVITE").status());
            RawPbx.Call g729 = pbx.new Call();
            pbx.send(g729.invite(null, RawPbx.SDP_PCMU.replace("RTP/AVP 0 8 101", "RTP/AVP 18")));
            assertEquals(488, pbx.awaitFinal("INVITE").status());
            assertNull(listener.invites.poll(), "a bad offer reached the engine");
        }
    }
}
