package io.vmport.sip;

import gov.nist.javax.sip.Utils;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.AcceptHeader;
import javax.sip.header.AllowHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and sends the trunk's responses. The headers that never change (Allow, Accept, Retry-After,
 * Content-Type, the trunk's Contact per transport) are built once and shared by every response, as the stack
 * itself does with its Server header.
 */
final class Responder {

    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);

    static final String ALLOWED = "INVITE, ACK, BYE, CANCEL, OPTIONS";

    final SipProvider provider;
    final AddressFactory addresses;
    final TrunkCounters counters;
    private final AllowHeader allow;
    private final AcceptHeader acceptSdp;
    private final RetryAfterHeader retryAfter;
    private final ContentTypeHeader sdpType;
    private final ContactHeader contactUdp;
    private final ContactHeader contactTcp;

    Responder(SipProvider provider, HeaderFactory headers, AddressFactory addresses, TrunkCounters counters,
            String contactHost, int port, int retryAfterSeconds) {
        this.provider = provider;
        this.addresses = addresses;
        this.counters = counters;
        try {
            this.allow = headers.createAllowHeader(ALLOWED);
            this.acceptSdp = headers.createAcceptHeader("application", "sdp");
            this.retryAfter = headers.createRetryAfterHeader(retryAfterSeconds);
            this.sdpType = headers.createContentTypeHeader("application", "sdp");
            String host = contactHost.indexOf(':') >= 0 ? "[" + contactHost + "]" : contactHost;
            this.contactUdp = headers.createContactHeader(addresses.createAddress("<sip:" + host + ":" + port + ">"));
            this.contactTcp = headers.createContactHeader(
                    addresses.createAddress("<sip:" + host + ":" + port + ";transport=tcp>"));
        } catch (ParseException | InvalidArgumentException e) {
            // not e.getMessage(): the stack's lexer writes its char[] buffer into it ("[C@56a4da7d ...")
            throw new IllegalArgumentException("sip: cannot build headers for contact host " + contactHost
                    + " port " + port + " retryAfter " + retryAfterSeconds + ": not valid in a SIP URI or header ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    static String newTag() {
        return Utils.getInstance().generateTag();
    }

    /**
     * Starts the To tag of every response sent without a transaction, so that the PBX's ACK for it (which
     * nothing waits for) can be dropped by the parser before it is parsed ({@link StrictRequestParser}).
     */
    static final String STATELESS_TAG_PREFIX = "vmsl";

    /** A To tag for a response sent without a transaction. */
    static String statelessTag() {
        return STATELESS_TAG_PREFIX + newTag();
    }

    /** A response to {@code request}; final and 1xx-but-100 responses get {@code toTag} unless To has one. */
    static SIPResponse create(Request request, int statusCode, String toTag) {
        return create(request, statusCode, toTag, null);
    }

    /**
     * As {@link #create(Request, int, String)}, with {@code reasonPhrase} saying what is wrong in words (null: the
     * standard phrase). Control characters in it become spaces, so that the status line stays one line.
     */
    static SIPResponse create(Request request, int statusCode, String toTag, String reasonPhrase) {
        SIPResponse response = reasonPhrase == null ? ((SIPRequest) request).createResponse(statusCode)
                : ((SIPRequest) request).createResponse(statusCode, printable(reasonPhrase));
        if (statusCode > 100 && toTag != null && response.getToTag() == null) {
            response.setToTag(toTag);
        }
        return response;
    }

    private static String printable(String phrase) {
        for (int i = 0; i < phrase.length(); i++) {
            if (phrase.charAt(i) < ' ' || phrase.charAt(i) == 0x7f) {
                char[] chars = phrase.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    chars[j] = chars[j] < ' ' || chars[j] == 0x7f ? ' ' : chars[j];
                }
                return new String(chars);
            }
        }
        return phrase;
    }

    SIPResponse withAllow(SIPResponse response) {
        response.setHeader(allow);
        return response;
    }

    SIPResponse withRetryAfter(SIPResponse response) {
        response.setHeader(retryAfter);
        return response;
    }

    SIPResponse withAcceptSdp(SIPResponse response) {
        response.setHeader(acceptSdp);
        return response;
    }

    SIPResponse withContact(SIPResponse response, Request request) {
        response.setHeader(isTcp(request) ? contactTcp : contactUdp);
        return response;
    }

    SIPResponse withSdp(SIPResponse response, String sdp) {
        try {
            response.setContent(sdp, sdpType);
        } catch (ParseException e) {
            throw new IllegalStateException("sip: cannot set an SDP body of " + sdp.length() + " chars", e);
        }
        return response;
    }

    static boolean isTcp(Request request) {
        return "TCP".equalsIgnoreCase(((SIPRequest) request).getTopmostVia().getTransport());
    }

    /**
     * A final error response with a fresh To tag, through the event's server transaction when the stack made
     * one (in-dialog requests), else statelessly: a flood of bad requests leaves no transaction behind.
     */
    void reject(RequestEvent event, int statusCode) {
        reject(event, create(event.getRequest(), statusCode, newTag()));
    }

    void reject(RequestEvent event, SIPResponse response) {
        SIPRequest request = (SIPRequest) event.getRequest();
        boolean newCall = Request.INVITE.equals(request.getMethod()) && request.getToTag() == null;
        counters.countResponse(newCall, response.getStatusCode());
        send(event.getServerTransaction(), response);
    }

    /** Sends through {@code tx}, or statelessly when it is null. Failures are logged, not thrown. */
    boolean send(ServerTransaction tx, Response response) {
        try {
            if (tx != null) {
                tx.sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
            return true;
        } catch (SipException | InvalidArgumentException | RuntimeException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("sip: cannot send {} {} for call-id {} (tx {}): {}", response.getStatusCode(),
                        ((SIPResponse) response).getReasonPhrase(), ((SIPResponse) response).getCallId().getCallId(),
                        tx == null ? "none" : tx.getState(), e.toString());
            }
            return false;
        }
    }
}
