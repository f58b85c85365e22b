package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * SPEC MD-1: what the engine reads of an offer to open the call's media session: the caller's RTP address and
 * port, the G.711 codec the answer chose, the telephone-event payload type.
 */
class SdpMediaTest {

    private static SdpMedia media(String sdp) throws SdpRejection {
        return SdpAnswerer.parse(sdp.getBytes(StandardCharsets.ISO_8859_1)).media;
    }

    @Test
    void md1_sessionConnectionAndAudioPortWithPcmaAndTelephoneEvent() throws Exception {
        SdpMedia m = media("v=0\r\no=pbx 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");

        assertEquals(new SdpMedia("10.0.0.9", 4000, "PCMA", 8, 101), m);
        assertTrue(m.offered());
        assertEquals(new InetSocketAddress("10.0.0.9", 4000), m.remote());
    }

    @Test
    void md1_mediaLevelConnectionWinsOverTheSessionOne() throws Exception {
        SdpMedia m = media("v=0\r\no=pbx 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\n"
                + "m=video 5000 RTP/AVP 31\r\nc=IN IP4 10.0.0.7\r\n"
                + "m=audio 4002 RTP/AVP 0\r\nc=IN IP4 10.0.0.8/127\r\n");

        assertEquals(new SdpMedia("10.0.0.8", 4002, "PCMU", 0, -1), m);
    }

    @Test
    void md1_dynamicPcmuAndDynamicTelephoneEventKeepTheirTypes() throws Exception {
        SdpMedia m = media("v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 96 97\r\n"
                + "c=IN IP6 ::1\r\na=rtpmap:96 PCMU/8000\r\na=rtpmap:97 telephone-event/8000\r\n");

        assertEquals(new SdpMedia("::1", 4000, "PCMU", 96, 97), m);
    }

    @Test
    void md1_inviteWithoutOfferHasNoRemoteYet() throws Exception {
        SdpMedia m = SdpAnswerer.parse(new byte[0]).media;

        assertFalse(m.offered());
        assertNull(m.codec());
        assertThrows(IllegalStateException.class, m::remote);
    }
}
