package io.vmport.sip;

import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trunk as its calls see it, and no more: what a {@link SipCall} sends (responses, its dialog, its BYE), and
 * what it reports (answered, connected, refused, ended), which this counts and tells the overload guard and the
 * listener. Thread-safe; allocates nothing of its own per call.
 */
final class TrunkCalls {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkCalls.class);

    private final SipTrunkListener listener;
    private final Responder responder;
    private final HeaderFactory headers;
    private final TrunkCounters counters;
    private final OverloadGuard guard;
    private final String mediaAddress;
    private final AtomicLong sessionIds = new AtomicLong(System.currentTimeMillis() / 1000);

    TrunkCalls(SipTrunkListener listener, Responder responder, HeaderFactory headers, OverloadGuard guard,
            String mediaAddress) {
        this.listener = listener;
        this.responder = responder;
        this.headers = headers;
        this.counters = responder.counters;
        this.guard = guard;
        this.mediaAddress = mediaAddress;
    }

    /** The SDP o= session id of a new call. */
    long nextSessionId() {
        return sessionIds.incrementAndGet();
    }

    /** The address in the SDP answer's c= line. */
    String mediaAddress() {
        return mediaAddress;
    }

    /** The overload guard's clock, read when the 200 OK goes out. */
    long nowNs() {
        return guard.nowNs();
    }

    /** Whether the trunk is behind for a call it took at {@code offeredAtNs} (see {@link OverloadGuard#behind}). */
    boolean behind(long offeredAtNs) {
        return guard.behind(offeredAtNs);
    }

    /** A call was offered: it is in set-up until it is acknowledged, refused or ends ({@link QueueShed}). */
    void setupStarted() {
        counters.setupStarted();
    }

    /** A call left set-up: acknowledged, refused or ended. */
    void setupOver() {
        counters.setupOver();
    }

    /** A call the engine would have redirected was refused 503 because the trunk is behind. */
    void shedForOverload() {
        counters.countOverload();
    }

    Dialog newDialog(ServerTransaction invite) throws SipException {
        return responder.provider.getNewDialog(invite);
    }

    SIPResponse withContact(SIPResponse response, Request request) {
        return responder.withContact(response, request);
    }

    SIPResponse withSdp(SIPResponse response, String sdp) {
        return responder.withSdp(response, sdp);
    }

    SIPResponse withRetryAfter(SIPResponse response) {
        return responder.withRetryAfter(response);
    }

    /** {@code contactUri} as an address (the redirect's Contact). */
    Address address(String contactUri) throws ParseException {
        return responder.addresses.createAddress(contactUri);
    }

    SIPResponse withContact(SIPResponse response, Address contact) {
        response.setHeader(headers.createContactHeader(contact));
        return response;
    }

    /** Sends through {@code tx}, or statelessly when it is null; false (logged) when it cannot. */
    boolean send(ServerTransaction tx, Response response) {
        return responder.send(tx, response);
    }

    /** Sends BYE in {@code dialog}; its answer or timeout comes back to {@code call} (SipCall.byeCompleted). */
    void sendBye(Dialog dialog, SipCall call) throws SipException {
        ClientTransaction tx = responder.provider.getNewClientTransaction(dialog.createRequest(Request.BYE));
        tx.setApplicationData(call);
        dialog.sendRequest(tx);
    }

    void answered() {
        counters.countAnswered();
    }

    /** The ACK came {@code nowNs() - okSentAtNs} after the 200 OK: the guard's load signal. */
    void connected(SipCall call, long okSentAtNs) {
        guard.ackDelay(guard.nowNs() - okSentAtNs);
        counters.countConnected();
        try {
            listener.onConnected(call);
        } catch (RuntimeException e) {
            LOG.error("sip: listener failed on connected {}: {}", call, e.toString(), e);
        }
    }

    void refused(int statusCode) {
        counters.releaseCall();
        counters.countResponse(true, statusCode);
    }

    void redirected() {
        counters.releaseCall();
        counters.countRedirected();
    }

    /** A request in the call's dialog (a re-INVITE) was answered with an error. */
    void rejectedInDialog(int statusCode) {
        counters.countResponse(false, statusCode);
    }

    void ended(SipCall call, EndReason reason) {
        counters.releaseCall();
        if (reason == EndReason.CANCELLED) {
            counters.countCancelled();
        }
        counters.countEnded();
        try {
            listener.onEnded(call, reason);
        } catch (RuntimeException e) {
            LOG.error("sip: listener failed on ended {} ({}): {}", call, reason, e.toString(), e);
        }
    }
}
