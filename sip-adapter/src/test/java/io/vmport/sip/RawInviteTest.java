package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BI-1 (issue 16 item 6): an INVITE read on its raw bytes, and the stateless 503 written from it, as the stack's
 * own parser reads them (RFC 3261 8.2.6: the response's Via, From, To, Call-ID and CSeq are the request's, To with a
 * tag; 18.2.2 and RFC 3581: where it goes, received and rport).
 */
class RawInviteTest {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0\r\n";

    /** An INVITE as SIPp's uac sends it. */
    private static String sippInvite(String via) {
        return "INVITE sip:service@127.0.0.1:5060 SIP/2.0\r\n"
                + via + "\r\n"
                + "From: sipp <sip:sipp@127.0.0.1:5061>;tag=1234SIPpTag001\r\n"
                + "To: service <sip:service@127.0.0.1:5060>\r\n"
                + "Call-ID: 1-1234@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: sip:sipp@127.0.0.1:5061\r\n"
                + "Max-Forwards: 70\r\n"
                + "Subject: Performance Test\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
    }

    private static RawInvite decoded(String message) {
        RawInvite invite = new RawInvite();
        byte[] bytes = ("garbage before" + message).getBytes(StandardCharsets.US_ASCII);
        assertTrue(invite.decode(bytes, "garbage before".length(), message.length()), message);
        return invite;
    }

    private static SIPResponse written(RawInvite invite, String host, int port) throws Exception {
        assertTrue(invite.write503(host, port, 30, 0x0123456789abcdefL));
        byte[] bytes = java.util.Arrays.copyOf(invite.response(), invite.responseLength());
        return (SIPResponse) new StringMsgParser().parseSIPMessage(bytes, true, false, null);
    }

    /** A header's value as the stack encodes it ("Via: ...\r\n" without name and line end). */
    private static String body(String encoded) {
        return encoded.substring(encoded.indexOf(':') + 1).trim();
    }

    @Test
    void bi1_aSippInviteGetsA503WithItsOwnHeadersAndAStatelessTag() throws Exception {
        String via = "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1234-1-0";
        RawInvite invite = decoded(sippInvite(via));
        assertFalse(invite.inDialog());
        assertEquals(RecentInvites.hash("z9hg4bk-1234-1-0"), invite.transactionIdHash(),
                "the stack's transaction id: the branch in lower case");
        assertEquals("z9hg4bk-1234-1-0", invite.transactionId());
        SIPResponse response = written(invite, "127.0.0.1", 5061);
        assertEquals(503, response.getStatusCode());
        assertEquals("Service Unavailable", response.getReasonPhrase());
        assertEquals("SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1234-1-0", body(response.getTopmostVia().encode()),
                "sent-by is the sender: no received");
        assertEquals("1234SIPpTag001", response.getFromTag());
        assertEquals(Responder.STATELESS_TAG_PREFIX + "0123456789abcdef", response.getToTag());
        assertEquals("1-1234@127.0.0.1", response.getCallId().getCallId());
        assertEquals(1L, response.getCSeq().getSeqNumber());
        assertEquals("INVITE", response.getCSeq().getMethod());
        assertEquals(30, response.getHeader("Retry-After") == null ? -1
                : ((javax.sip.header.RetryAfterHeader) response.getHeader("Retry-After")).getRetryAfter());
        assertEquals(0, response.getContentLength().getContentLength());
        assertEquals(5061, invite.responsePort(40_000), "no rport: to sent-by's port");
    }

    @Test
    void bi1_rportIsFilledInAndReceivedAddedAndTheResponseGoesToTheSendersPort() throws Exception {
        RawInvite invite = decoded(sippInvite("Via: SIP/2.0/UDP pbx.example:5070;rport;branch=z9hG4bKa7\r\n"
                + "v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKproxy, SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKfirst"));
        SIPResponse response = written(invite, "192.0.2.7", 40_000);
        List<String> vias = new java.util.ArrayList<>();
        response.getViaHeaders().forEach(v -> vias.add(body(((gov.nist.javax.sip.header.Via) v).encode())));
        assertEquals(List.of("SIP/2.0/UDP pbx.example:5070;rport=40000;branch=z9hG4bKa7;received=192.0.2.7",
                "SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKproxy", "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKfirst"), vias);
        assertEquals(40_000, invite.responsePort(40_000));

        RawInvite noPort = decoded(sippInvite("Via: SIP/2.0/UDP pbx.example;branch=z9hG4bKb"));
        assertEquals("SIP/2.0/UDP pbx.example;branch=z9hG4bKb;received=192.0.2.7",
                body(written(noPort, "192.0.2.7", 40_000).getTopmostVia().encode()));
        assertEquals(5060, noPort.responsePort(40_000), "sent-by without a port: 5060");
    }

    @Test
    void bi1_compactHeadersAreReadAndATaggedToIsNotANewCall() throws Exception {
        String compact = "INVITE sip:7000@127.0.0.1 SIP/2.0\r\nv: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKc\r\n"
                + "f: <sip:1001@127.0.0.1>;tag=a\r\nt: <sip:7000@127.0.0.1>\r\ni: c1@h\r\nCSEQ: 7 INVITE\r\n"
                + "l: 0\r\n\r\n";
        SIPResponse response = written(decoded(compact), "127.0.0.1", 5070);
        assertEquals("c1@h", response.getCallId().getCallId());
        assertEquals(7L, response.getCSeq().getSeqNumber());
        assertTrue(decoded(compact.replace("t: <sip:7000@127.0.0.1>", "t: <sip:7000@127.0.0.1>;tag=x")).inDialog(),
                "a re-INVITE");
    }

    @Test
    void bi1_whatTheRawReaderCannotVouchForIsLeftToTheStacksParser() {
        String via = "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-9";
        String ok = sippInvite(via);
        for (String bad : List.of(
                ok.replace("INVITE sip", "BYE sip"),
                ok.replace("\r\nTo:", "\r\n To:"),                              // a folded line
                ok.replace("Call-ID: 1-1234@127.0.0.1\r\n", "Call-ID: a\r\nCall-ID: b\r\n"), // a duplicate
                ok.replace("CSeq: 1 INVITE\r\n", ""),                           // missing
                ok.replace("\r\nFrom", "\nFrom"),                               // a bare LF
                ok.replace("branch=z9hG4bK-9", "branch=old-9"),                 // no RFC 3261 cookie
                ok.replace("branch=z9hG4bK-9", "branch=z9hG4bK-9;maddr=239.0.0.1"),
                ok.replace("branch=z9hG4bK-9", "branch=z9hG4bK-9;received=192.0.2.1"),
                ok.replace("branch=z9hG4bK-9", "branch=z9hG4bK-9;rport=5"),
                ok.replace("Subject: Performance Test", "Subject: caf\u00e9"),  // not ASCII
                ok.substring(0, ok.indexOf("\r\n\r\n")))) {                      // no end of the headers
            byte[] bytes = bad.getBytes(StandardCharsets.ISO_8859_1);
            assertFalse(new RawInvite().decode(bytes, 0, bytes.length), bad);
        }
    }
}
