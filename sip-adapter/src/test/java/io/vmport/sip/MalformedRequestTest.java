package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BI-1: an INVITE that breaks RFC 3261's grammar (section 25) is answered 400 (505 for the version) with a reason
 * phrase in words, and no call starts; one that cannot be answered at all is dropped and counted. Each case is a
 * valid INVITE with one fault, sent as one UDP datagram to a real trunk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {

    private final TestListener listener = new TestListener();
    private SipTrunk trunk;
    private RawPbx pbx;

    @BeforeAll
    void start() throws Exception {
        int port = TestPorts.freeUdpAndTcp();
        trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress), listener);
        trunk.start();
        pbx = new RawPbx(port);
    }

    @AfterAll
    void stop() {
        pbx.close();
        trunk.stop();
    }

    @BeforeEach
    void reset() {
        listener.invites.clear();
        listener.policy = call -> call.refuse(Refusal.BUSY);
    }

    /** Sends the INVITE of a new call changed by {@code fault}; returns its final response. */
    private SipText send(UnaryOperator<String> fault, RawPbx.Call call) throws Exception {
        pbx.send(fault.apply(call.invite(null, RawPbx.SDP_PCMU)));
        SipText response = pbx.await(m -> m.isResponse() && m.status() >= 200 && call.callId.equals(m.header("Call-ID")),
                "final response to the INVITE of " + call.callId);
        pbx.send(call.sameTransaction("ACK", response.toTag()));
        return response;
    }

    /**
     * The fault is answered {@code status} with {@code reason}, with the INVITE's Via, Call-ID, CSeq and From (when
     * it parses), so the PBX matches it; and no call reaches the listener.
     */
    private void refused(int status, String reason, UnaryOperator<String> fault) throws Exception {
        RawPbx.Call call = pbx.new Call();
        SipText response = send(fault, call);
        assertEquals("SIP/2.0 " + status + " " + reason, response.firstLine(), response.toString());
        assertEquals(call.callId, response.header("Call-ID"));
        assertEquals("1 INVITE", response.header("CSeq"));
        assertTrue(response.header("Via").contains("branch=" + call.inviteBranch), response.toString());
        if (!reason.startsWith("Bad From header")) {
            assertTrue(response.header("From").contains("tag=" + call.fromTag), response.toString());
        } // else the From did not parse and a stand-in takes its place; Via and CSeq match the response
        assertNotNull(response.toTag(), "a final response has a To tag: " + response);
        assertNull(listener.invites.poll(), "a malformed INVITE reached the engine");
    }

    private static UnaryOperator<String> replace(String what, String with) {
        return invite -> {
            assertTrue(invite.contains(what), what);
            return invite.replaceFirst(java.util.regex.Pattern.quote(what), java.util.regex.Matcher.quoteReplacement(with));
        };
    }

    private static UnaryOperator<String> extraHeader(String header) {
        return invite -> invite.replaceFirst("Contact: ", header + "\r\nContact: ");
    }

    @Test
    void theValidInviteStillReachesTheEngine() throws Exception {
        RawPbx.Call call = pbx.new Call();
        SipText response = send(UnaryOperator.identity(), call);
        assertEquals(486, response.status(), response.toString());
        assertEquals(call.callId, TestListener.next(listener.invites, "onInvite").callId());
    }

    /** One case per fault: its name, the answer's status and reason phrase, and how it changes a valid INVITE. */
    static Stream<Arguments> faults() {
        return Stream.of(
                fault("two spaces after the method", 400, "Bad request line: two spaces", replace("INVITE ", "INVITE  ")),
                fault("two spaces before the version", 400, "Bad request line: two spaces",
                        replace(" SIP/2.0\r\nVia", "  SIP/2.0\r\nVia")),
                fault("a space at the end of the request line", 400, "Bad request line: space at the end",
                        replace(" SIP/2.0\r\nVia", " SIP/2.0 \r\nVia")),
                fault("SIP/7.0", 505, "Version Not Supported", replace(" SIP/2.0\r\nVia", " SIP/7.0\r\nVia")),
                fault("no SIP version", 400, "Bad request line: SIP version", replace(" SIP/2.0\r\nVia", " HTTP/1.1\r\nVia")),
                fault("headers in the Request-URI (RFC 3261 19.1.5)", 400, "Headers not allowed in the Request-URI",
                        replace(" SIP/2.0\r\nVia", "?Subject=x SIP/2.0\r\nVia")),
                fault("a space before > in From", 400, "Bad From header: space inside <addr-spec>",
                        replace("<sip:1001@127.0.0.1>", "<sip:1001@127.0.0.1 >")),
                fault("a space after sip: in From", 400, "Bad From header: space inside <addr-spec>",
                        replace("<sip:1001@127.0.0.1>", "<sip: 1001@127.0.0.1>")),
                fault("@ in an unquoted display name", 400, "Bad From header: display name needs quotes",
                        replace("\"Alice\" <", "Alice@home <")),
                fault("a comma in an unquoted display name", 400, "Bad From header: display name needs quotes",
                        replace("\"Alice\" <", "Alice, Bob <")),
                fault("two Call-IDs", 400, "Duplicate Call-ID header", extraHeader("Call-ID: other@127.0.0.1")),
                fault("two Content-Lengths (one compact)", 400, "Duplicate Content-Length header", extraHeader("l: 148")),
                fault("two To", 400, "Duplicate To header", extraHeader("To: <sip:9@127.0.0.1>")),
                fault("two From (one compact)", 400, "Duplicate From header", extraHeader("f: <sip:9@127.0.0.1>;tag=9")),
                fault("two CSeq", 400, "Duplicate CSeq header", extraHeader("CSeq: 1 INVITE")),
                fault("two Max-Forwards", 400, "Duplicate Max-Forwards header", extraHeader("Max-Forwards: 69")),
                fault("an unparseable To", 400, "Bad To header", replace("To: <", "To: <<")),
                fault("an unparseable Max-Forwards", 400, "Bad Max-Forwards header",
                        replace("Max-Forwards: 70", "Max-Forwards: seventy")),
                // the stack's own 400 read "Bad Request ([C@4cb2c100 getNextChar: End of buffer)" here
                fault("an unterminated quote in From", 400, "Bad From header",
                        replace("\"Alice\" <sip:1001@127.0.0.1>;tag=", "\"Alice <sip:1001@127.0.0.1>;tag=")),
                fault("a body shorter than Content-Length", 400, "Content-Length larger than the body",
                        replace("Content-Length: 148", "Content-Length: 400")));
    }

    private static Arguments fault(String name, int status, String reason, UnaryOperator<String> change) {
        return Arguments.of(name, status, reason, change);
    }

    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("faults")
    void aMalformedInviteIsRefusedSayingWhyAndStartsNoCall(String fault, int status, String reason,
            UnaryOperator<String> change) throws Exception {
        refused(status, reason, change);
    }

    @Test
    void aQuotedOrTokenDisplayNameIsFine() throws Exception {
        RawPbx.Call call = pbx.new Call();
        assertEquals(486, send(replace("\"Alice\" <", "Alice Smith-Jones <"), call).status());
        assertEquals("Alice Smith-Jones", TestListener.next(listener.invites, "onInvite").callerName());
    }

    @Test
    void aMalformedAckIsNotAnsweredAndAMalformedOptionsIs400() throws Exception {
        RawPbx.Call call = pbx.new Call();
        call.toTag = "t1";
        pbx.send(call.inDialog("ACK", 1, null).replace("Call-ID: ", "Call-ID: a@b\r\nCall-ID: "));
        pbx.send(pbx.options().replace(" SIP/2.0\r\n", " SIP/2.0 \r\n"));
        SipText options = pbx.awaitFinal("OPTIONS");
        assertEquals("SIP/2.0 400 Bad request line: space at the end", options.firstLine());
        assertFalse(pbx.received.stream().anyMatch(m -> "1 ACK".equals(m.header("CSeq"))), "an ACK is never answered");
    }

    @Test
    void aRequestWithNoReadableViaIsDroppedAndCounted() throws Exception {
        long dropped = trunk.counters().malformedDropped();
        RawPbx.Call call = pbx.new Call();
        pbx.send(replace("SIP/2.0/UDP ", "SIP/2.0/UDP ;").apply(call.invite(null, RawPbx.SDP_PCMU)));
        long deadlineNs = System.nanoTime() + 10_000_000_000L; // the stack's threads may take it after later ones
        while (trunk.counters().malformedDropped() == dropped && System.nanoTime() < deadlineNs) {
            Thread.onSpinWait();
        }
        assertEquals(dropped + 1, trunk.counters().malformedDropped());
        pbx.send(pbx.options());
        assertEquals(200, pbx.awaitFinal("OPTIONS").status(), "the trunk goes on");
        assertFalse(pbx.received.stream().anyMatch(m -> call.callId.equals(m.header("Call-ID"))),
                "nothing can be answered without a Via: " + pbx.received);
        assertNull(listener.invites.poll());
    }
}
