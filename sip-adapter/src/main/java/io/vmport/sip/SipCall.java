package io.vmport.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call offered by the PBX: who calls whom and why, and the engine's handle to answer, redirect, refuse or
 * hang up. Every method may be called from any thread; the call moves through its states with one atomic
 * compare-and-set per step, so of two racing outcomes (the engine's answer and the PBX's CANCEL) exactly one
 * wins and the other returns false.
 *
 * <pre>
 * OFFERED --answer--> ANSWERED --ACK--> CONNECTED --hangUp--> ENDING --BYE done--> ENDED
 *    |                  |   \--hangUp--> HANGUP_PENDING --ACK--/                     ^
 *    |                  \------------------- BYE from PBX, no ACK, failure ----------|
 *    |--CANCEL------------------------------------------------------------------------|
 *    \--refuse / redirect--> REFUSED
 * </pre>
 *
 * {@link SipTrunkListener#onEnded} is called exactly once for every call that the engine did not refuse or
 * redirect (including a call whose {@link #answer} returned false).
 */
public final class SipCall {

    private static final Logger LOG = LoggerFactory.getLogger(SipCall.class);

    static final int OFFERED = 0;
    static final int ANSWERED = 1;
    static final int CONNECTED = 2;
    static final int HANGUP_PENDING = 3;
    static final int ENDING = 4;
    static final int ENDED = 5;
    static final int REFUSED = 6;
    private static final String[] STATE_NAMES =
            {"OFFERED", "ANSWERED", "CONNECTED", "HANGUP_PENDING", "ENDING", "ENDED", "REFUSED"};

    /**
     * URI parameter put in the Contact of every 302 the trunk sends, so that the PBX's new INVITE carries it in its
     * Request-URI and the other trunk knows the call was redirected to it ({@link #cameByRedirect()}).
     */
    static final String REDIRECT_MARK = "x-vmport-redirected";

    private static final AtomicIntegerFieldUpdater<SipCall> STATE =
            AtomicIntegerFieldUpdater.newUpdater(SipCall.class, "state");

    private final TrunkDispatcher trunk;
    private final ServerTransaction invite;
    private final String callId;
    private final String caller;
    private final String callerName;
    private final String called;
    private final String requestUriUser;
    private final boolean cameByRedirect;
    private final String redirecting;
    private final CallReason reason;
    private final InetAddress remoteAddress;
    private final int remotePort;
    private final boolean tcp;
    private final String localTag;
    private final long sessionId;

    private volatile int state;
    private volatile int enginePortIndex = -1;
    private volatile Dialog dialog;
    /** Written by the thread that wins OFFERED->ANSWERED, read by SIP threads after ACK (ordered by state). */
    private SdpOffer offer;
    private int rtpPort;
    private int sdpVersion = 1;
    /** When the 200 OK went out (the guard's clock); the ACK's delay after it is the trunk's load signal. */
    private volatile long answeredAtNs;

    SipCall(TrunkDispatcher trunk, ServerTransaction invite, SIPRequest request, SdpOffer offer) {
        this.trunk = trunk;
        this.invite = invite;
        this.offer = offer;
        this.callId = request.getCallId().getCallId();
        Address from = request.getFrom().getAddress();
        this.caller = CallParties.user(from);
        this.callerName = CallParties.displayName(from);
        this.called = CallParties.user(request.getTo().getAddress());
        this.requestUriUser = CallParties.user(request.getRequestURI());
        this.cameByRedirect = request.getRequestURI() instanceof javax.sip.address.SipURI uri
                && uri.getParameter(REDIRECT_MARK) != null;
        String diversion = CallParties.diversion(request.getHeader(CallParties.DIVERSION));
        this.redirecting = CallParties.diversionUser(diversion);
        this.reason = CallParties.diversionReason(diversion);
        InetAddress source = request.getPeerPacketSourceAddress();
        this.remoteAddress = source != null ? source : request.getRemoteAddress();
        this.remotePort = source != null ? request.getPeerPacketSourcePort() : request.getRemotePort();
        this.tcp = Responder.isTcp(request);
        this.localTag = Responder.newTag();
        this.sessionId = trunk.nextSessionId();
    }

    /** The SIP Call-ID. */
    public String callId() {
        return callId;
    }

    /** The caller's number: the From user part (or tel number). */
    public String caller() {
        return caller;
    }

    /** The caller's display name from From, "" when absent. */
    public String callerName() {
        return callerName;
    }

    /** The called number: the To user part. */
    public String called() {
        return called;
    }

    /**
     * True when this INVITE follows a 302 from a vmport trunk (its Request-URI carries the mark the trunk puts in
     * every redirect's Contact). Such a call must not be redirected again: two full servers would bounce it.
     */
    public boolean cameByRedirect() {
        return cameByRedirect;
    }

    /** The Request-URI user part; PIMG/TIMG gateways put their port number here. */
    public String requestUriUser() {
        return requestUriUser;
    }

    /** The redirecting number: the topmost Diversion header's user part, "" when the call was not diverted. */
    public String redirecting() {
        return redirecting;
    }

    /** Why the call arrived: direct, or forwarded (busy, no answer, other) per the Diversion reason. */
    public CallReason reason() {
        return reason;
    }

    /** The address the INVITE came from. */
    public InetAddress remoteAddress() {
        return remoteAddress;
    }

    /** The port the INVITE came from. */
    public int remotePort() {
        return remotePort;
    }

    /** UDP or TCP, as the INVITE arrived. */
    public SipTransport transport() {
        return tcp ? SipTransport.TCP : SipTransport.UDP;
    }

    /**
     * The media the offer set up (SPEC MD-1): the caller's RTP address and port, the codec the answer chose,
     * the telephone-event payload type. The latest offer's, after a re-INVITE.
     */
    public synchronized SdpMedia media() {
        return offer.media;
    }

    /** The engine's port index stashed with {@link #setEnginePortIndex}, -1 until set. */
    public int enginePortIndex() {
        return enginePortIndex;
    }

    /** Lets the engine keep its port index on the call, to find the port again without a map. */
    public void setEnginePortIndex(int index) {
        this.enginePortIndex = index;
    }

    /**
     * Answers on a port: 180 Ringing, then 200 OK with an SDP answer (the offer's PCMU or PCMA, the trunk's
     * media address, {@code rtpPort}). Returns false when the call is no longer offered (the PBX cancelled it)
     * or the answer could not be sent; {@link SipTrunkListener#onEnded} is then called (or was already).
     *
     * @throws IllegalArgumentException when {@code rtpPort} is not 1..65535
     */
    public boolean answer(int rtpPort) {
        if (rtpPort < 1 || rtpPort > 65_535) {
            throw new IllegalArgumentException("rtpPort=" + rtpPort + ": must be 1..65535 (call " + callId + ")");
        }
        if (!STATE.compareAndSet(this, OFFERED, ANSWERED)) {
            return false;
        }
        this.rtpPort = rtpPort;
        Request request = invite.getRequest();
        try {
            Dialog d = trunk.responder.provider.getNewDialog(invite);
            d.setApplicationData(this);
            dialog = d;
            invite.sendResponse(Responder.create(request, Response.RINGING, localTag));
            SIPResponse ok = Responder.create(request, Response.OK, localTag);
            trunk.responder.withContact(ok, request);
            trunk.responder.withSdp(ok, sdp(offer));
            answeredAtNs = trunk.guard.nowNs();
            invite.sendResponse(ok);
            trunk.counters.countAnswered();
            return true;
        } catch (SipException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.warn("sip: call {} from {}: answer on RTP port {} failed in state {} (dialog {}): {}", callId,
                    remoteAddress, rtpPort, stateName(), dialog == null ? "none" : dialog.getState(), e.toString());
            endFromAnyLiveState(EndReason.FAILED);
            // best effort, so that neither the PBX nor the INVITE transaction waits for ever
            trunk.responder.send(invite, Responder.create(request, Response.SERVER_INTERNAL_ERROR, localTag));
            Dialog d = dialog;
            if (d != null) {
                d.delete();
            }
            return false;
        }
    }

    /**
     * Redirects the call with 302 Moved Temporarily and {@code Contact: <contactUri;x-vmport-redirected>} (e.g. the
     * other server; see {@link #cameByRedirect()}). Returns false when the call is no longer offered.
     *
     * @throws IllegalArgumentException when {@code contactUri} is not a SIP URI
     */
    public boolean redirect(String contactUri) {
        Address target;
        try {
            target = trunk.responder.addresses.createAddress(contactUri);
            if (target.getURI() instanceof javax.sip.address.SipURI uri) {
                uri.setParameter(REDIRECT_MARK, null);
            }
        } catch (ParseException | NullPointerException e) {
            throw new IllegalArgumentException("contactUri=" + contactUri + ": not a SIP URI (call " + callId + ")");
        }
        if (!STATE.compareAndSet(this, OFFERED, REFUSED)) {
            return false;
        }
        trunk.counters.releaseCall();
        SIPResponse moved = Responder.create(invite.getRequest(), Response.MOVED_TEMPORARILY, localTag);
        ContactHeader contact = trunk.headers.createContactHeader(target);
        moved.setHeader(contact);
        trunk.counters.countRedirected();
        sendFinal(moved);
        return true;
    }

    /**
     * Refuses the call: 486 (busy), 503 with Retry-After (not taking calls) or 403 (forbidden). Returns false
     * when the call is no longer offered.
     */
    public boolean refuse(Refusal refusal) {
        if (refusal == null) {
            throw new IllegalArgumentException("refusal=null: must be one of BUSY, NOT_TAKING_CALLS, FORBIDDEN"
                    + " (call " + callId + ")");
        }
        return refuse(refusal.statusCode());
    }

    /**
     * Hangs up an answered call: BYE now, or as soon as the PBX's ACK arrives (RFC 3261 forbids a BYE before
     * it). {@link SipTrunkListener#onEnded} follows with {@link EndReason#LOCAL_HANG_UP} when the BYE
     * completes. Returns false when the call is not answered (refuse an offered call instead), is already
     * hanging up, or is over.
     */
    public boolean hangUp() {
        for (;;) {
            int s = state;
            if (s == CONNECTED) {
                if (STATE.compareAndSet(this, CONNECTED, ENDING)) {
                    sendBye();
                    return true;
                }
            } else if (s == ANSWERED) {
                if (STATE.compareAndSet(this, ANSWERED, HANGUP_PENDING)) {
                    return true;
                }
            } else {
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return "SipCall[" + callId + " " + stateName() + ", from=" + caller + ", to=" + called + ", ruri="
                + requestUriUser + ", redirecting=" + redirecting + ", " + reason + ", remote="
                + (remoteAddress == null ? "?" : remoteAddress.getHostAddress()) + ":" + remotePort
                + ", port=" + enginePortIndex + "]";
    }

    String stateName() {
        return STATE_NAMES[state];
    }

    int state() {
        return state;
    }

    boolean refuse(int statusCode) {
        if (!STATE.compareAndSet(this, OFFERED, REFUSED)) {
            return false;
        }
        trunk.counters.releaseCall();
        SIPResponse response = Responder.create(invite.getRequest(), statusCode, localTag);
        if (statusCode == Response.SERVICE_UNAVAILABLE) {
            trunk.responder.withRetryAfter(response);
        }
        trunk.counters.countResponse(true, statusCode);
        sendFinal(response);
        return true;
    }

    /** The PBX acknowledged the 200 OK. */
    void acked() {
        if (STATE.compareAndSet(this, ANSWERED, CONNECTED)) {
            trunk.guard.ackDelay(trunk.guard.nowNs() - answeredAtNs);
            trunk.counters.countConnected();
            trunk.connected(this);
        } else if (STATE.compareAndSet(this, HANGUP_PENDING, ENDING)) {
            sendBye();
        }
    }

    /** A CANCEL for this call: 200 for it (through {@code cancelTx}, or statelessly when null), then {@link #cancel}. */
    void cancelled(ServerTransaction cancelTx, SIPRequest cancel) {
        trunk.responder.send(cancelTx, Responder.create(cancel, Response.OK, localTag));
        cancel();
    }

    /** CANCEL before the answer: 487 for the INVITE, the call ends. False when too late (already answered). */
    boolean cancel() {
        if (!STATE.compareAndSet(this, OFFERED, ENDED)) {
            return false;
        }
        sendFinal(Responder.create(invite.getRequest(), Response.REQUEST_TERMINATED, localTag));
        trunk.counters.countCancelled();
        trunk.ended(this, EndReason.CANCELLED);
        return true;
    }

    /** BYE from the PBX, already answered 200. */
    void remoteBye() {
        endFromAnyLiveState(EndReason.REMOTE_BYE);
    }

    /** Our BYE got its final response or timed out. */
    void byeCompleted() {
        if (STATE.compareAndSet(this, ENDING, ENDED)) {
            trunk.ended(this, EndReason.LOCAL_HANG_UP);
        }
    }

    /** The 200 OK was never acknowledged: end the call and tell the PBX with a BYE. */
    void noAck() {
        if (STATE.compareAndSet(this, ANSWERED, ENDED) || STATE.compareAndSet(this, HANGUP_PENDING, ENDED)) {
            trunk.ended(this, EndReason.NO_ACK);
            sendByeQuietly();
        }
    }

    /** The stack dropped the dialog. Normally the call is over already; if not, it ends here. */
    void dialogGone() {
        if (STATE.compareAndSet(this, ENDING, ENDED)) {
            trunk.ended(this, EndReason.LOCAL_HANG_UP);
        } else {
            endFromAnyLiveState(EndReason.FAILED);
        }
    }

    /** A re-INVITE in this call's dialog: 200 with the same media (direction mirrored), or 400/488. */
    void reInvite(ServerTransaction tx, SIPRequest request) {
        int s = state;
        if (s != CONNECTED && s != ANSWERED) {
            trunk.responder.send(tx, Responder.create(request, s == OFFERED ? Response.REQUEST_PENDING
                    : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, localTag));
            return;
        }
        SdpOffer next;
        try {
            next = SdpAnswerer.parse(request.getRawContent());
        } catch (SdpRejection r) {
            trunk.responder.send(tx, Responder.create(request, r.statusCode(), localTag));
            trunk.counters.countResponse(false, r.statusCode());
            return;
        }
        synchronized (this) {
            if (next != SdpOffer.NONE) {
                if (!next.sameAnswerAs(offer)) {
                    sdpVersion++;
                }
                offer = next;
            }
        }
        SIPResponse ok = Responder.create(request, Response.OK, localTag);
        trunk.responder.withContact(ok, request);
        trunk.responder.withSdp(ok, sdp(offer));
        trunk.responder.send(tx, ok);
    }

    private synchronized String sdp(SdpOffer o) {
        return SdpAnswerer.answer(o, trunk.mediaAddress, rtpPort, sessionId, sdpVersion);
    }

    private void sendFinal(SIPResponse response) {
        if (!trunk.responder.send(invite, response)) {
            LOG.warn("sip: call {} from {}: could not send {} in state {}", callId, remoteAddress,
                    response.getStatusCode(), stateName());
        }
    }

    private void sendBye() {
        if (!sendByeQuietly()) {
            if (STATE.compareAndSet(this, ENDING, ENDED)) {
                trunk.ended(this, EndReason.FAILED);
            }
        }
    }

    private boolean sendByeQuietly() {
        Dialog d = dialog;
        try {
            Request bye = d.createRequest(Request.BYE);
            ClientTransaction tx = trunk.responder.provider.getNewClientTransaction(bye);
            tx.setApplicationData(this);
            d.sendRequest(tx);
            return true;
        } catch (SipException | RuntimeException e) {
            LOG.warn("sip: call {} from {}: cannot send BYE in state {} (dialog {}): {}", callId, remoteAddress,
                    stateName(), d == null ? "none" : d.getState(), e.toString());
            if (d != null) {
                d.delete();
            }
            return false;
        }
    }

    private void endFromAnyLiveState(EndReason why) {
        for (;;) {
            int s = state;
            if (s == ENDED || s == REFUSED) {
                return;
            }
            if (STATE.compareAndSet(this, s, ENDED)) {
                trunk.ended(this, why);
                return;
            }
        }
    }
}
