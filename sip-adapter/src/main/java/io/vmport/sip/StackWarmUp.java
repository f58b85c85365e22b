package io.vmport.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs synthetic calls through the trunk's per-message code before the trunk listens (issue 16 item 3: a freshly
 * started pair refused calls at a modest rate; a cold JVM runs the SIP parser interpreted, and under overload it
 * spent seconds of CPU compiling the shedding path). Each round parses an INVITE with an SDP offer, its ACK and a
 * BYE with the trunk's own {@link StrictRequestParser}, reads the call's parties, answers the offer, and builds and
 * encodes the 100, 180, 200 with SDP, 503 and the BYE's 200, as a call and a refusal do; nothing is sent, no
 * transaction or counter is touched. Bounded by a number of rounds and by time, whichever ends first.
 */
final class StackWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(StackWarmUp.class);

    /** Rounds by default: enough for the JIT's first tiers on every method of the path, and C2 on the lexer's. */
    static final int ROUNDS = 3_000;
    /** At most this long, whatever the machine. */
    static final long BUDGET_MS = 1_500;

    private static final String SDP = "v=0\r\no=pbx 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";

    private StackWarmUp() {
    }

    /** What a warm-up did: rounds completed and the time taken. */
    record Result(int rounds, long elapsedMs) {
    }

    /**
     * Runs up to {@code rounds} synthetic calls within {@code budgetMs}.
     *
     * @throws IllegalStateException when a synthetic message does not parse (a broken parser: the trunk must not
     *                               start)
     */
    static Result run(int rounds, long budgetMs, LongSupplier clockNs) {
        StrictRequestParser parser = new StrictRequestParser(new TrunkCounters());
        long startNs = clockNs.getAsLong();
        long deadlineNs = startNs + budgetMs * 1_000_000L;
        int done = 0;
        try {
            while (done < rounds && clockNs.getAsLong() - deadlineNs < 0) {
                oneCall(parser, done);
                done++;
            }
        } catch (ParseException | SdpRejection e) {
            throw new IllegalStateException("sip: the warm-up's synthetic call " + done + " did not parse: "
                    + e.getClass().getSimpleName() + " at offset "
                    + (e instanceof ParseException p ? p.getErrorOffset() : -1), e);
        }
        return new Result(done, (clockNs.getAsLong() - startNs) / 1_000_000);
    }

    /** Set to true, the trunk starts without the warm-up (to measure what it is worth, issue 16 item 3). */
    static final String SKIP_PROPERTY = "vmport.sip.skipWarmUp";

    /** Runs the default warm-up on the system clock and logs what it did. */
    static void runAtStart(String where) {
        if (Boolean.getBoolean(SKIP_PROPERTY)) {
            LOG.info("sip trunk {}: no warm-up ({}=true)", where, SKIP_PROPERTY);
            return;
        }
        Result r = run(ROUNDS, BUDGET_MS, System::nanoTime);
        LOG.info("sip trunk {}: warmed up with {} synthetic calls in {} ms", where, r.rounds(), r.elapsedMs());
    }

    private static void oneCall(StrictRequestParser parser, int n) throws ParseException, SdpRejection {
        String callId = "warm-" + n + "@vmport.invalid";
        String via = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKwarm" + n + "\r\n";
        String from = "From: \"Warm Up\" <sip:1001@192.0.2.1>;tag=w" + n + "\r\n";
        String to = "To: <sip:7000@192.0.2.2>";
        SIPRequest invite = parse(parser, "INVITE sip:7000@192.0.2.2 SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n"
                + from + to + "\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <sip:1001@192.0.2.1:5060>\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP);
        CallParties.of(invite);
        SdpOffer offer = SdpAnswerer.parse(invite.getRawContent());
        String tag = Responder.newTag();
        encode(Responder.create(invite, 100, null));
        encode(Responder.create(invite, 180, tag));
        SIPResponse ok = Responder.create(invite, 200, tag);
        ok.setMessageContent("application", "sdp",
                SdpAnswerer.answer(offer, "192.0.2.2", 20_000 + (n & 0xfff) * 2, n, 1));
        encode(ok);
        encode(Responder.create(invite, 503, Responder.statelessTag()));
        String inDialog = from + to + ";tag=" + tag + "\r\nCall-ID: " + callId + "\r\n";
        parse(parser, "ACK sip:7000@192.0.2.2 SIP/2.0\r\n" + via + "Max-Forwards: 70\r\n" + inDialog
                + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        SIPRequest bye = parse(parser, "BYE sip:7000@192.0.2.2 SIP/2.0\r\n" + via.replace("warm", "wbye")
                + "Max-Forwards: 70\r\n" + inDialog + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
        encode(Responder.create(bye, 200, null));
    }

    private static SIPRequest parse(StrictRequestParser parser, String text) throws ParseException {
        SIPRequest request = (SIPRequest) parser.parseSIPMessage(text.getBytes(StandardCharsets.US_ASCII), true,
                false, null);
        if (request == null || request.getApplicationData() instanceof RequestFault) {
            throw new ParseException("refused: " + (request == null ? "dropped" : request.getApplicationData()), 0);
        }
        return request;
    }

    private static void encode(SIPResponse response) {
        response.encodeAsBytes("UDP");
    }
}
