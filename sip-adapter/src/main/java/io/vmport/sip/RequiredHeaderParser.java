package io.vmport.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import java.text.ParseException;

/**
 * The stack's parser, plus one thing: a request that parses but lacks Call-ID, From, To or CSeq would be
 * dropped by the stack without a word (UDP and TCP channels check those headers before any hook), and the PBX
 * would retransmit it for 32 s. This parser fills the missing headers with recognisable stand-ins
 * ({@code missing@vmport.invalid}) and marks the request with {@value #MARK}, so that the {@link TrunkGate}
 * answers it 400 ("Bad Request (Missing Call-ID)") with headers the PBX can parse. Without a Via nothing can
 * be answered, and the stack drops it as before.
 *
 * <p>And one thing less: over UDP, the ACK of a response sent without a transaction is dropped unparsed
 * ({@link #isAckOfStatelessResponse}).
 */
final class RequiredHeaderParser implements MessageParser {

    /** Header that marks a request whose required headers were filled in; its value names them. */
    static final String MARK = "X-Vmport-Missing";
    private static final String STAND_IN = "missing@vmport.invalid";
    private static final HeaderFactoryImpl HEADERS = new HeaderFactoryImpl();

    private final MessageParser parser;

    RequiredHeaderParser(MessageParser parser) {
        this.parser = parser;
    }

    /** Installs the parser on {@code stack}; must run before the stack's listening points are created. */
    static void install(SIPTransactionStack stack) {
        MessageParserFactory plain = new StringMsgParserFactory();
        stack.setMessageParserFactory(s -> new RequiredHeaderParser(plain.createMessageParser(s)));
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener handler)
            throws ParseException {
        if (handler instanceof UDPMessageChannel && isAckOfStatelessResponse(bytes)) {
            return null; // the UDP channel drops a null message without a word
        }
        SIPMessage message = parser.parseSIPMessage(bytes, readBody, strict, handler);
        if (message instanceof SIPRequest request && request.getTopmostVia() != null
                && (request.getCallId() == null || request.getFrom() == null || request.getTo() == null
                        || request.getCSeq() == null)) {
            fillIn(request);
        }
        return message;
    }

    /**
     * An ACK carrying the To tag of a response the trunk sent without a transaction (a 503 while shedding load,
     * a 403, a 400): nothing waits for it, and under overload parsing it would cost nearly as much as the
     * INVITE did. Checked on the raw bytes: "ACK " first, then the tag prefix anywhere in the message.
     */
    static boolean isAckOfStatelessResponse(byte[] bytes) {
        if (bytes.length < 4 || bytes[0] != 'A' || bytes[1] != 'C' || bytes[2] != 'K' || bytes[3] != ' ') {
            return false;
        }
        byte[] needle = STATELESS_TAG;
        int last = bytes.length - needle.length;
        outer:
        for (int i = 4; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static final byte[] STATELESS_TAG =
            ("tag=" + Responder.STATELESS_TAG_PREFIX).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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
        request.setHeader(HEADERS.createHeader(MARK, missing.toString()));
    }
}
