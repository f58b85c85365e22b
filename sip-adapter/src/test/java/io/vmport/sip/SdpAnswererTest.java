package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CA-2 / BI-1: the SDP answer for good offers, 400 for broken ones, 488 for unacceptable ones. */
class SdpAnswererTest {

    private static final String HEAD = "v=0\r\no=pbx 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";

    private static SdpOffer parse(String sdp) throws SdpRejection {
        return SdpAnswerer.parse(sdp.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int rejection(String sdp) {
        return assertThrows(SdpRejection.class, () -> parse(sdp)).statusCode();
    }

    @Test
    void answerCarriesTheChosenCodecTheMediaAddressAndThePort() throws Exception {
        SdpOffer offer = parse(HEAD + "m=audio 4000 RTP/AVP 18 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        String answer = SdpAnswerer.answer(offer, "10.0.0.5", 20_000, 42, 1);
        assertEquals("v=0\r\no=vmport 42 1 IN IP4 10.0.0.5\r\ns=vmport\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
                + "m=audio 20000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n", answer);
    }

    @Test
    void offerersOrderDecidesBetweenPcmuAndPcma() throws Exception {
        assertEquals(0, parse(HEAD + "m=audio 4000 RTP/AVP 0 8\r\n").payloadType);
        assertEquals(8, parse(HEAD + "m=audio 4000 RTP/AVP 8 0\r\n").payloadType);
    }

    @Test
    void dynamicPayloadTypeMappedToPcmuIsKept() throws Exception {
        SdpOffer offer = parse(HEAD + "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/8000\r\n");
        assertEquals(96, offer.payloadType);
        assertTrue(SdpAnswerer.answer(offer, "10.0.0.5", 20_000, 1, 1).contains("a=rtpmap:96 PCMU/8000\r\n"));
    }

    @Test
    void directionIsMirroredAndOtherMediaRejectedInPlace() throws Exception {
        SdpOffer offer = parse(HEAD + "m=video 5000 RTP/AVP 31\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n");
        String answer = SdpAnswerer.answer(offer, "10.0.0.5", 20_000, 1, 1);
        assertTrue(answer.contains("t=0 0\r\nm=video 0 RTP/AVP 31\r\nm=audio 20000 RTP/AVP 0\r\n"), answer);
        assertTrue(answer.endsWith("a=recvonly\r\n"), answer);
    }

    @Test
    void mediaLevelConnectionIsEnoughAndIpv6MediaAddressIsWrittenAsIp6() throws Exception {
        SdpOffer offer = parse("v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP6 ::1\r\n");
        assertTrue(SdpAnswerer.answer(offer, "::1", 20_000, 1, 1).contains("c=IN IP6 ::1\r\n"));
    }

    @Test
    void emptyBodyMeansTheTrunkOffers() throws Exception {
        assertSame(SdpOffer.NONE, SdpAnswerer.parse(new byte[0]));
        assertSame(SdpOffer.NONE, SdpAnswerer.parse(null));
        String offer = SdpAnswerer.answer(SdpOffer.NONE, "10.0.0.5", 20_000, 1, 1);
        assertTrue(offer.contains("m=audio 20000 RTP/AVP 0 8 101\r\n"), offer);
    }

    @Test
    void brokenOffersAre400() {
        assertEquals(400, rejection("hello\r\n"));
        assertEquals(400, rejection("v=1\r\n"));
        assertEquals(400, rejection("v=0\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n")); // no o=
        assertEquals(400, rejection(HEAD)); // no m=
        assertEquals(400, rejection(HEAD + "m=audio\r\n"));
        assertEquals(400, rejection(HEAD + "m=audio port RTP/AVP 0\r\n"));
        assertEquals(400, rejection(HEAD + "m=audio 99999 RTP/AVP 0\r\n"));
        assertEquals(400, rejection(HEAD + "m=audio 4000 RTP/AVP zero\r\n"));
        assertEquals(400, rejection(HEAD + "m=audio 4000 RTP/AVP 0\r\nc=IN IP4\r\n"));
        assertEquals(400, rejection(HEAD + "garbage line\r\n"));
        assertEquals(400, rejection("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"));
    }

    @Test
    void wellFormedButUnacceptableOffersAre488() {
        assertEquals(488, rejection(HEAD + "m=audio 4000 RTP/AVP 18 9\r\n"));
        assertEquals(488, rejection(HEAD + "m=audio 4000 RTP/SAVP 0\r\n"));
        assertEquals(488, rejection(HEAD + "m=audio 0 RTP/AVP 0\r\n"));
        assertEquals(488, rejection(HEAD + "m=video 4000 RTP/AVP 31\r\n"));
        assertEquals(488, rejection(HEAD + "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 opus/48000/2\r\n"));
    }

    @Test
    void sameAnswerDependsOnMediaNotOnOfferVersion() throws Exception {
        SdpOffer a = parse(HEAD + "m=audio 4000 RTP/AVP 0\r\n");
        SdpOffer b = parse(HEAD.replace("1 1", "1 2") + "m=audio 4002 RTP/AVP 0\r\n");
        SdpOffer hold = parse(HEAD + "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n");
        assertTrue(a.sameAnswerAs(b));
        assertTrue(!a.sameAnswerAs(hold));
    }
}
