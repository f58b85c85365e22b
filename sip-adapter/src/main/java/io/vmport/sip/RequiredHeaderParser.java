package io.vmport.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;

/**
 * The stack's parser, plus one thing: a request that parses but lacks Call-ID, From, To or CSeq would be
 * dropped by the stack without a word (UDP and TCP channels check those headers before any hook), and the PBX
 * would retransmit it for 32 s. This parser fills the missing headers with recognisable stand-ins
 * ({@code missing@vmport.invalid}) and marks the request with {@value #MARK}, so that the {@link TrunkGate}
 * answers it 400 ("Bad Request (Missing Call-ID)") with headers the PBX can parse. Without a Via nothing can
 * be answered, and the stack drops it as before.
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
        SIPMessage message = parser.parseSIPMessage(bytes, readBody, strict, handler);
        if (message instanceof SIPRequest request && request.getTopmostVia() != null
                && (request.getCallId() == null || request.getFrom() == null || request.getTo() == null
                        || request.getCSeq() == null)) {
            fillIn(request);
        }
        return message;
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
        request.setHeader(HEADERS.createHeader(MARK, missing.toString()));
    }
}
