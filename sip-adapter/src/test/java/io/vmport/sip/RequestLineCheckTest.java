package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BI-1: the request line against RFC 3261 section 25, on raw bytes (MalformedRequestTest sends them for real). */
class RequestLineCheckTest {

    private static RequestFault fault(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        return RequestLineCheck.fault(bytes, RequestLineCheck.start(bytes));
    }

    @Test
    void wellFormedLinesPass() {
        assertNull(fault("INVITE sip:7000@10.0.0.1:5060;user=phone SIP/2.0\r\nVia: x\r\n\r\n"));
        assertNull(fault("\r\n\r\nOPTIONS sip:10.0.0.1 SIP/2.0\r\n"), "leading CRLF keep-alives are skipped");
        assertNull(fault("INVITE tel:+4930123 sip/2.0\n"), "the version is case-insensitive; a bare LF ends a line");
        assertNull(fault("INVITE sip:a?b@host SIP/2.0\r\n"), "'?' in the user part is no header (19.1.5 is checked"
                + " on the parsed URI)");
    }

    @Test
    void eachFaultHasItsReason() {
        assertEquals(RequestFault.TWO_SPACES, fault("INVITE  sip:7000@h SIP/2.0\r\n"));
        assertEquals(RequestFault.TWO_SPACES, fault("INVITE sip:7000@h  SIP/2.0\r\n"));
        assertEquals(RequestFault.SPACE_AT_END, fault("INVITE sip:7000@h SIP/2.0 \r\n"));
        assertEquals(RequestFault.SPACE_AT_END, fault("INVITE sip:7000@h SIP/2.0\t\r\n"));
        assertEquals(RequestFault.VERSION_NOT_SUPPORTED, fault("INVITE sip:7000@h SIP/7.0\r\n"));
        assertEquals(RequestFault.VERSION_NOT_SUPPORTED, fault("INVITE sip:7000@h SIP/2.10\r\n"));
        assertEquals(RequestFault.VERSION, fault("INVITE sip:7000@h SIP/2\r\n"));
        assertEquals(RequestFault.VERSION, fault("INVITE sip:7000@h HTTP/1.1\r\n"));
        assertEquals(RequestFault.REQUEST_LINE, fault("INVITE sip:7000@h\r\n"));
        assertEquals(RequestFault.REQUEST_LINE, fault("INVITE sip:a b@h SIP/2.0\r\n"));
        assertEquals(RequestFault.REQUEST_LINE, fault("INV(TE sip:7000@h SIP/2.0\r\n"));
        assertEquals(RequestFault.REQUEST_LINE, fault("INVITE\tsip:7000@h SIP/2.0\r\n"));
        assertEquals(RequestFault.REQUEST_LINE, fault("INVITE sip:7000@h SIP/2.0"), "no end of line");
        assertEquals(505, RequestFault.VERSION_NOT_SUPPORTED.statusCode());
    }

    @Test
    void aResponseIsToldApart() {
        byte[] ok = "SIP/2.0 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(RequestLineCheck.isResponse(ok, 0));
        assertFalse(RequestLineCheck.isResponse("SIP/2.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII), 0));
    }
}
