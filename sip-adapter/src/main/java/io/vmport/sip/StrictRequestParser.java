package io.vmport.sip;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;

/**
 * The trunk's message parser: the stack's own ({@link StringMsgParser}), strict for requests. The stack's parser
 * lets through requests that RFC 3261's grammar (section 25) calls invalid, and answers those it refuses with a 400
 * the PBX may not parse (a line feed and a {@code [C@...} object name in the reason phrase, the body's headers cut
 * off). So for a request this parser never throws what it can answer; it records the first fault as a
 * {@link RequestFault} in the request's application data, and the {@link TrunkGate} answers it statelessly with
 * the request's own Via, From, To, Call-ID and CSeq, before any transaction or call:
 * <ul>
 * <li>the request line, on the raw bytes ({@link RequestLineCheck}): one space between the elements, none at the
 * end, SIP/2.0 (another version: 505); no headers in the Request-URI;</li>
 * <li>the headers the trunk reads ({@link CheckedHeader}): each parses, a single-valued one appears once, a display
 * name is quoted or tokens, no space inside {@code <addr-spec>};</li>
 * <li>Call-ID, From, To or CSeq missing: recognisable stand-ins ({@code missing@vmport.invalid}) take their place
 * so that the stack, which drops such a request without a word, lets it reach the gate;</li>
 * <li>a body shorter than its Content-Length (over UDP; RFC 3261 18.3); bytes past it are dropped.</li>
 * </ul>
 * A request with no readable Via (or neither request line nor CSeq) cannot be answered: it is dropped and counted
 * ({@link TrunkCounters#malformedDropped()}). Responses are parsed as the stack always did.
 *
 * <p>And one thing less: over UDP, the ACK of a response sent without a transaction is dropped unparsed
 * ({@link #isAckOfStatelessResponse}).
 *
 * <p>Thread-safe: the stack's TCP channel hands one parser to several post-parsing threads at once. What one parse
 * keeps (the single-valued headers seen so far) is kept per thread. The checks are char scans that allocate nothing
 * for a valid request.
 */
final class StrictRequestParser extends StringMsgParser implements ParseExceptionListener {

    private static final String STAND_IN = "missing@vmport.invalid";
    private static final HeaderFactoryImpl HEADERS = new HeaderFactoryImpl();
    private static final byte[] STATELESS_TAG =
            ("tag=" + Responder.STATELESS_TAG_PREFIX).getBytes(StandardCharsets.US_ASCII);

    /**
     * The single-valued headers seen in the request this thread is parsing, one bit per
     * {@link CheckedHeader#ordinal()}. Per thread, not per parser: a TCP connection's parser parses on several threads.
     */
    private static final ThreadLocal<int[]> SEEN = ThreadLocal.withInitial(() -> new int[1]);

    private final TrunkCounters counters;

    StrictRequestParser(TrunkCounters counters) {
        this.counters = counters;
    }

    /** Installs the parser on {@code stack}; must run before the stack's listening points are created. */
    static void install(SIPTransactionStack stack, TrunkCounters counters) {
        stack.setMessageParserFactory(s -> new StrictRequestParser(counters));
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener handler)
            throws ParseException {
        boolean udp = handler instanceof UDPMessageChannel;
        if (udp && isAckOfStatelessResponse(bytes)) {
            return null; // the UDP channel drops a null message without a word
        }
        int start = RequestLineCheck.start(bytes);
        if (start >= bytes.length || RequestLineCheck.isResponse(bytes, start)) {
            return super.parseSIPMessage(bytes, readBody, strict, handler);
        }
        RequestFault lineFault = RequestLineCheck.fault(bytes, start);
        SEEN.get()[0] = 0;
        SIPRequest request;
        try {
            request = (SIPRequest) super.parseSIPMessage(bytes, false, strict, this);
        } catch (ParseException e) {
            // not e.getMessage(): the stack's lexer writes its char[] buffer into it ("[C@56a4da7d ...")
            return unanswerable(udp, "the stack's parser gave up at offset " + e.getErrorOffset());
        }
        if (request == null) {
            return null;
        }
        if (lineFault != null) {
            request.setApplicationData(lineFault);
        }
        if (request.getTopmostVia() == null || isFault(request, CheckedHeader.VIA.unparseable)) {
            return unanswerable(udp, "no readable Via");
        }
        if (request.getRequestLine() == null) {
            if (request.getCSeq() == null) {
                return unanswerable(udp, "neither request line nor CSeq");
            }
            standInRequestLine(request);
        } else if (request.getRequestURI() instanceof SipUri uri && uri.getQheaders() != null
                && !uri.getQheaders().isEmpty()) {
            RequestFault.record(request, RequestFault.HEADERS_IN_REQUEST_URI);
        }
        if (request.getCallId() == null || request.getFrom() == null || request.getTo() == null
                || request.getCSeq() == null) {
            fillIn(request);
        }
        if (readBody) {
            readBody(request, bytes);
        }
        return request;
    }

    @Override
    protected void processHeader(String header, SIPMessage message, ParseExceptionListener listener, byte[] raw)
            throws ParseException {
        int colon = listener == this ? header.indexOf(':') : -1;
        CheckedHeader checked = colon > 0 ? CheckedHeader.of(header, colon) : null;
        if (checked != null) {
            if (checked.singleValued) {
                int[] seen = SEEN.get();
                int bit = 1 << checked.ordinal();
                if ((seen[0] & bit) != 0) {
                    RequestFault.record(message, checked.duplicate);
                }
                seen[0] |= bit;
            }
            RequestFault fault = checked.nameAddrFault(header, colon);
            if (fault != null) {
                RequestFault.record(message, fault);
            }
        }
        super.processHeader(header, message, listener, raw);
    }

    /**
     * The stack's parser could not parse the request line or a header. One the trunk reads ({@link CheckedHeader})
     * is a fault; another is kept unparsed, as the stack's own handler does.
     */
    @Override
    public void handleException(ParseException ex, SIPMessage message, Class headerClass, String header,
            String rawMessage) {
        if (headerClass == RequestLine.class) {
            RequestFault.record(message, RequestFault.REQUEST_LINE);
            return;
        }
        int colon = header == null ? -1 : header.indexOf(':');
        if (colon <= 0) {
            RequestFault.record(message, RequestFault.HEADER_LINE);
            return;
        }
        CheckedHeader checked = CheckedHeader.of(header, colon);
        if (checked != null) {
            RequestFault.record(message, checked.unparseable);
        } else {
            message.addUnparsed(header);
        }
    }

    private SIPMessage unanswerable(boolean udp, String why) throws ParseException {
        counters.countMalformedDropped();
        if (udp) {
            return null; // dropped without a word; an exception would make the UDP channel send its own 400
        }
        throw new ParseException("request dropped: " + why, 0); // TCP: the connection drops the message only
    }

    private static boolean isFault(SIPMessage message, RequestFault fault) {
        return message.getApplicationData() == fault;
    }

    /** The request line did not parse, but CSeq names the method: enough for the stack to carry it to the gate. */
    private static void standInRequestLine(SIPRequest request) {
        SipUri uri = new SipUri();
        uri.setHost(new gov.nist.core.Host("vmport.invalid"));
        request.setRequestLine(new RequestLine(uri, request.getCSeq().getMethod()));
        RequestFault.record(request, RequestFault.REQUEST_LINE);
    }

    /** The body: Content-Length bytes after the headers; fewer is a fault, more are dropped (RFC 3261 18.3). */
    private static void readBody(SIPRequest request, byte[] bytes) {
        int length = request.getContentLength().getContentLength();
        if (length <= 0) {
            return;
        }
        int from = request.getSize();
        if (bytes.length - from < length) {
            RequestFault.record(request, RequestFault.BODY_SHORTER_THAN_CONTENT_LENGTH);
            return;
        }
        request.setMessageContent(Arrays.copyOfRange(bytes, from, from + length));
    }

    /**
     * An ACK carrying the To tag of a response the trunk sent without a transaction (a 503 while shedding load,
     * a 403, a 400): nothing waits for it, and under overload parsing it would cost nearly as much as the
     * INVITE did. Checked on the raw bytes: "ACK " first, then the tag prefix anywhere in the message.
     */
    static boolean isAckOfStatelessResponse(byte[] bytes) {
        return isAckOfStatelessResponse(bytes, 0, bytes.length);
    }

    /** As {@link #isAckOfStatelessResponse(byte[])} for the {@code length} bytes at {@code offset}. */
    static boolean isAckOfStatelessResponse(byte[] bytes, int offset, int length) {
        if (length < 4 || bytes[offset] != 'A' || bytes[offset + 1] != 'C' || bytes[offset + 2] != 'K'
                || bytes[offset + 3] != ' ') {
            return false;
        }
        byte[] needle = STATELESS_TAG;
        int last = offset + length - needle.length;
        outer:
        for (int i = offset + 4; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void fillIn(SIPRequest request) throws ParseException {
        StringBuilder missing = new StringBuilder();
        if (request.getCallId() == null) {
            request.setHeader(HEADERS.createCallIdHeader(STAND_IN));
            missing.append("Call-ID");
        }
        if (request.getFrom() == null) {
            request.setHeader(HEADERS.createHeader("From", "<sip:" + STAND_IN + ">;tag=missing"));
            missing.append(missing.length() == 0 ? "" : ", ").append("From");
        }
        if (request.getTo() == null) {
            request.setHeader(HEADERS.createHeader("To", "<sip:" + STAND_IN + ">"));
            missing.append(missing.length() == 0 ? "" : ", ").append("To");
        }
        if (request.getCSeq() == null) {
            request.setHeader(HEADERS.createHeader("CSeq", "1 " + request.getMethod()));
            missing.append(missing.length() == 0 ? "" : ", ").append("CSeq");
        }
        RequestFault.record(request, RequestFault.bad("Missing " + missing));
    }
}
