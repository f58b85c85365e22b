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
    void md1_theCallTellsTheEngineTheOffersMediaAndTheAnswerNamesTheSessionsPort() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU.replace("RTP/AVP 0 8 101", "RTP/AVP 8 0 101")));
            SipCall call = TestListener.next(listener.invites, "onInvite");
            assertEquals(new SdpMedia("127.0.0.1", 40_000, "PCMA", 8, 101), call.media());
            assertTrue(call.answer(31_234));
            SipText ok = pbx.awaitResponse(200, "INVITE");
            assertTrue(ok.body().contains("m=audio 31234 RTP/AVP 8 101\r\n"), ok.body());
            c.toTag = ok.toTag();
            pbx.send(c.inDialog("ACK", 1, null));
            TestListener.next(listener.connected, "onConnected");
            pbx.send(c.inDialog("BYE", 2, null));
            pbx.awaitResponse(200, "BYE");
            TestListener.next(listener.ended, "onEnded");
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

    @Test
    void missingFromAndCseqGet400NamingThem() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            String options = pbx.options().replaceAll("From: [^\r]*\r\n", "").replaceAll("CSeq: [^\r]*\r\n", "");
            pbx.send(options);
            SipText response = pbx.await(SipText::isResponse, "a response");
            assertEquals(400, response.status(), response.toString());
            assertTrue(response.firstLine().contains("Missing From, CSeq"), response.firstLine());
            assertEquals("1 OPTIONS", response.header("CSeq"), "stand-in CSeq lets the PBX match the response");
        }
    }

    @Test
    void cancelBeforeAnswerGets200And487AndEndsTheCall() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            pbx.awaitResponse(100, "INVITE");
            SipCall call = TestListener.next(listener.invites, "onInvite");
            pbx.send(c.sameTransaction("CANCEL", null));
            pbx.awaitResponse(200, "CANCEL");
            SipText terminated = pbx.awaitFinal("INVITE");
            assertEquals(487, terminated.status());
            pbx.send(c.sameTransaction("ACK", terminated.toTag()));
            TestListener.Ended ended = TestListener.next(listener.ended, "onEnded");
            assertEquals(call, ended.call());
            assertEquals(EndReason.CANCELLED, ended.reason());
            assertFalse(call.answer(20_004), "an answer after CANCEL must lose");
            assertFalse(call.refuse(Refusal.BUSY));
        }
    }

    @Test
    void cancelForNoCallIs481() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.sameTransaction("CANCEL", null));
            assertEquals(481, pbx.awaitFinal("CANCEL").status());
        }
    }

    @Test
    void byeForNoDialogIs481() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            c.toTag = "nosuchtag";
            pbx.send(c.inDialog("BYE", 2, null));
            assertEquals(481, pbx.awaitFinal("BYE").status());
        }
    }

    @Test
    void refusalsAre486And503WithRetryAfterAnd403() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            int[] expected = {486, 503, 403};
            Refusal[] refusals = {Refusal.BUSY, Refusal.NOT_TAKING_CALLS, Refusal.FORBIDDEN};
            for (int i = 0; i < refusals.length; i++) {
                Refusal refusal = refusals[i];
                listener.policy = call -> call.refuse(refusal);
                RawPbx.Call c = pbx.new Call();
                pbx.send(c.invite(null, RawPbx.SDP_PCMU));
                pbx.awaitResponse(100, "INVITE");
                SipText response = pbx.awaitFinal("INVITE");
                assertEquals(expected[i], response.status(), response.toString());
                assertNotNull(response.toTag(), "a final response has a To tag");
                if (expected[i] == 503) {
                    assertEquals("17", response.header("Retry-After"));
                } else {
                    assertNull(response.header("Retry-After"));
                }
                pbx.send(c.sameTransaction("ACK", response.toTag()));
                TestListener.next(listener.invites, "onInvite");
            }
            assertNull(listener.ended.poll(), "a refused call must not be reported ended");
        }
    }

    @Test
    void redirectIs302WithContact() throws Exception {
        listener.policy = call -> call.redirect("<sip:7000@127.0.0.1:5062>");
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            SipText moved = pbx.awaitFinal("INVITE");
            assertEquals(302, moved.status());
            assertEquals("<sip:7000@127.0.0.1:5062;x-vmport-redirected>", moved.header("Contact"),
                    "the mark that stops a second redirect (CA-1)");
            pbx.send(c.sameTransaction("ACK", moved.toTag()));
            assertFalse(TestListener.next(listener.invites, "the first INVITE").cameByRedirect());

            // the PBX follows the redirect: the Request-URI is the Contact, mark included
            RawPbx.Call followed = pbx.new Call();
            followed.uriParams = ";x-vmport-redirected";
            pbx.send(followed.invite(null, RawPbx.SDP_PCMU));
            assertEquals(302, pbx.awaitFinal("INVITE").status());
            assertTrue(TestListener.next(listener.invites, "the followed INVITE").cameByRedirect());
        }
    }

    @Test
    void pcmaIsChosenWhenOfferedFirst() throws Exception {
        listener.policy = call -> call.answer(20_006);
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMA_FIRST));
            SipText ok = pbx.awaitResponse(200, "INVITE");
            assertTrue(ok.body().contains("m=audio 20006 RTP/AVP 8\r\n"), ok.body());
            assertTrue(ok.body().contains("a=rtpmap:8 PCMA/8000\r\n"), ok.body());
            hangUpFromPbx(pbx, c, ok);
        }
    }

    @Test
    void reInviteGetsTheSameSdpAndNoNewCall() throws Exception {
        listener.policy = call -> call.answer(20_008);
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            SipText ok = pbx.awaitResponse(200, "INVITE");
            c.toTag = ok.toTag();
            pbx.send(c.inDialog("ACK", 1, null));
            TestListener.next(listener.connected, "onConnected");
            TestListener.next(listener.invites, "onInvite");

            pbx.send(c.inDialog("INVITE", 2, RawPbx.SDP_PCMU));
            SipText again = pbx.awaitResponse(200, "INVITE");
            assertEquals(ok.body(), again.body(), "same offer, same answer (same o= version)");
            pbx.send(c.inDialog("ACK", 2, null));

            pbx.send(c.inDialog("INVITE", 3, "v=0\r\nbroken\r\n"));
            assertEquals(400, pbx.awaitFinal("INVITE").status());

            pbx.send(c.inDialog("BYE", 4, null));
            pbx.awaitResponse(200, "BYE");
            assertEquals(EndReason.REMOTE_BYE, TestListener.next(listener.ended, "onEnded").reason());
            assertNull(listener.invites.poll(), "a re-INVITE was offered as a new call");
        }
    }

    @Test
    void hangUpSendsByeAndEndsWhenThePbxAnswersIt() throws Exception {
        listener.policy = call -> call.answer(20_010);
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            SipText ok = pbx.awaitResponse(200, "INVITE");
            SipCall call = TestListener.next(listener.invites, "onInvite");
            assertTrue(call.hangUp(), "hang-up before the ACK waits for it");
            c.toTag = ok.toTag();
            pbx.send(c.inDialog("ACK", 1, null));
            SipText bye = pbx.awaitRequest("BYE");
            assertEquals(c.callId, bye.header("Call-ID"));
            pbx.send(pbx.respond(bye, 200, "OK"));
            TestListener.Ended ended = TestListener.next(listener.ended, "onEnded");
            assertEquals(EndReason.LOCAL_HANG_UP, ended.reason());
            assertFalse(call.hangUp(), "a second hang-up has nothing to do");
            assertNull(listener.connected.poll(), "a call hung up before its ACK is not reported connected");
        }
    }

    @Test
    void answerFromAnotherThreadWorks() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, null)); // no offer: the 200 OK makes one
            SipCall call = TestListener.next(listener.invites, "onInvite");
            Thread engine = new Thread(() -> call.answer(20_012), "engine");
            engine.start();
            engine.join();
            SipText ok = pbx.awaitResponse(200, "INVITE");
            assertTrue(ok.body().contains("m=audio 20012 RTP/AVP 0 8 101\r\n"), ok.body());
            hangUpFromPbx(pbx, c, ok);
        }
    }

    private void hangUpFromPbx(RawPbx pbx, RawPbx.Call c, SipText ok) throws Exception {
        c.toTag = ok.toTag();
        pbx.send(c.inDialog("ACK", 1, null));
        TestListener.next(listener.connected, "onConnected");
        pbx.send(c.inDialog("BYE", 2, null));
        pbx.awaitResponse(200, "BYE");
        TestListener.next(listener.ended, "onEnded");
        listener.invites.clear();
    }

    @Test
    void unparseableRequiredHeaderGets400NamingIt() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU).replace("CSeq: 1 INVITE", "CSeq: one INVITE"));
            SipText response = pbx.await(SipText::isResponse, "a response");
            assertEquals("SIP/2.0 400 Bad CSeq header", response.firstLine(), response.toString());
            assertEquals("1 INVITE", response.header("CSeq"), "a stand-in CSeq lets the PBX match the response");
            assertNull(listener.invites.poll());
        }
    }

    @Test
    void unknownMethodInsideACallIs405AndTheCallGoesOn() throws Exception {
        listener.policy = call -> call.answer(20_014);
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            SipText ok = pbx.awaitResponse(200, "INVITE");
            c.toTag = ok.toTag();
            pbx.send(c.inDialog("ACK", 1, null));
            TestListener.next(listener.connected, "onConnected");
            pbx.send(c.inDialog("INFO", 2, null));
            SipText info = pbx.awaitFinal("INFO");
            assertEquals(405, info.status());
            assertEquals("INVITE, ACK, BYE, CANCEL, OPTIONS", info.header("Allow"));
            pbx.send(c.inDialog("BYE", 3, null));
            pbx.awaitResponse(200, "BYE");
            assertEquals(EndReason.REMOTE_BYE, TestListener.next(listener.ended, "onEnded").reason());
        }
    }

    @Test
    void requiredExtensionIs420WithUnsupported() throws Exception {
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite("Require: 100rel\r\n", RawPbx.SDP_PCMU));
            SipText response = pbx.awaitFinal("INVITE");
            assertEquals(420, response.status());
            assertEquals("100rel", response.header("Unsupported"));
            assertNull(listener.invites.poll());
        }
    }

    @Test
    void engineThatThrowsOnInviteGives500AndTheTrunkGoesOn() throws Exception {
        listener.policy = call -> {
            throw new IllegalStateException("engine bug");
        };
        try (RawPbx pbx = new RawPbx(port)) {
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            assertEquals(500, pbx.awaitFinal("INVITE").status());
            listener.policy = call -> { };
            pbx.send(pbx.options());
            assertEquals(200, pbx.awaitFinal("OPTIONS").status());
            assertEquals(0, trunk.counters().activeCalls());
        }
    }
}
