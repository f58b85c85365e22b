package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BI-1: the ACK of a 503 sent while shedding is dropped unparsed; every other ACK is parsed as before. */
class StatelessAckTest {

    private static boolean dropped(String message) {
        return StrictRequestParser.isAckOfStatelessResponse(message.getBytes(StandardCharsets.US_ASCII));
    }

    private static String ack(String toTag) {
        return "ACK sip:7000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=abc\r\nTo: <sip:7000@127.0.0.1>;tag=" + toTag + "\r\n"
                + "Call-ID: 1@127.0.0.1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void onlyAnAckCarryingTheStatelessTagIsDropped() {
        assertTrue(dropped(ack(Responder.STATELESS_TAG_PREFIX + "12345")));
        assertFalse(dropped(ack("12345")), "the ACK of a 200 or of a refusal sent in a transaction");
        assertFalse(dropped(ack(Responder.STATELESS_TAG_PREFIX + "1").replace("ACK sip", "BYE sip")));
        assertFalse(dropped("ACK"));
        assertFalse(dropped(""));
        assertTrue(Responder.statelessTag().startsWith(Responder.STATELESS_TAG_PREFIX));
    }
}
