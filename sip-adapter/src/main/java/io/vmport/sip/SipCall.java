package io.vmport.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call offered by the PBX: who calls whom and why, and the engine's handle to answer, redirect, refuse or
 * hang up. Every method may be called from any thread; the call moves through its states ({@code CallState}) with
 * one atomic compare-and-set per step ({@code move}), so of two racing outcomes (the engine's answer and the
 * PBX's CANCEL) exactly one wins and the other returns false. It reaches its trunk through {@code TrunkCalls}
 * only.
 *
 * {@link SipTrunkListener#onEnded} is called exactly once for every call that the engine did not refuse or
 * redirect (including a call whose {@link #answer} returned false).
 */
public final class SipCall {

    private static final Logger LOG = LoggerFactory.getLogger(SipCall.class);

    /**
     * URI parameter put in the Contact of every 302 the trunk sends, so that the PBX's new INVITE carries it in its
     * Request-URI and the other trunk knows the call was redirected to it ({@link #cameByRedirect()}).
     */
    static final String REDIRECT_MARK = "x-vmport-redirected";

    private static final AtomicReferenceFieldUpdater<SipCall, CallState> STATE =
            AtomicReferenceFieldUpdater.newUpdater(SipCall.class, CallState.class, "state");

    private final TrunkCalls trunk;
    private final ServerTransaction invite;
    private final String callId;
    private final CallParties parties;
    private final InetAddress remoteAddress;
    private final int remotePort;
    private final boolean tcp;
    private final String localTag;
    private final long sessionId;

    private volatile CallState state = CallState.OFFERED;
    private volatile int enginePortIndex = -1;
    private volatile Dialog dialog;
    /** Written by the thread that wins OFFERED->ANSWERED, read by SIP threads after ACK (ordered by state). */
    private SdpOffer offer;
    private int rtpPort;
    private int sdpVersion = 1;
    /** Whether the last 200 OK carried vmport's offer (no offer came), so that the ACK brings the answer. */
    private boolean awaitingAnswer;
    /** When the 200 OK went out (the guard's clock); the ACK's delay after it is the trunk's load signal. */
    private volatile long answeredAtNs;
    /** When the trunk took the INVITE (the guard's clock): how long the engine's decision waited shows a queue. */
    private final long offeredAtNs;

    SipCall(TrunkCalls trunk, ServerTransaction invite, SIPRequest request, SdpOffer offer) {
        this.trunk = trunk;
        this.offeredAtNs = trunk.nowNs();
        this.invite = invite;
        this.offer = offer;
        this.callId = request.getCallId().getCallId();
        this.parties = CallParties.of(request);
        InetAddress source = request.getPeerPacketSourceAddress();
        this.remoteAddress = source != null ? source : request.getRemoteAddress();
        this.remotePort = source != null ? request.getPeerPacketSourcePort() : request.getRemotePort();
        this.tcp = Responder.isTcp(request);
        this.localTag = Responder.newTag();
        this.sessionId = trunk.nextSessionId();
        trunk.setupStarted(); // OFFERED; setupOver() when it leaves set-up (move)
    }

    /** The SIP Call-ID. */
    public String callId() {
        return callId;
    }

    /** The caller's number: the From user part (or tel number). */
    public String caller() {
        return parties.caller();
    }

    /** The caller's display name from From, "" when absent. */
    public String callerName() {
        return parties.callerName();
    }

    /** The called number: the To user part. */
    public String called() {
        return parties.called();
    }

    /**
     * True when this INVITE follows a 302 from a vmport trunk (its Request-URI carries the mark the trunk puts in
     * every redirect's Contact). Such a call must not be redirected again: two full servers would bounce it.
     */
    public boolean cameByRedirect() {
        return parties.cameByRedirect();
    }

    /** The Request-URI user part; PIMG/TIMG gateways put their port number here. */
    public String requestUriUser() {
        return parties.requestUriUser();
    }

    /** The redirecting number: the topmost Diversion header's user part, "" when the call was not diverted. */
    public String redirecting() {
        return parties.redirecting();
    }

    /** Why the call arrived: direct, or forwarded (busy, no answer, other) per the Diversion reason. */
    public CallReason reason() {
        return parties.reason();
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
        if (!move(CallState.OFFERED, CallState.ANSWERED)) {
            return false;
        }
        this.rtpPort = rtpPort;
        Request request = invite.getRequest();
        try {
            Dialog d = trunk.newDialog(invite);
            d.setApplicationData(this);
            dialog = d;
            invite.sendResponse(Responder.create(request, Response.RINGING, localTag));
            SIPResponse ok = Responder.create(request, Response.OK, localTag);
            trunk.withContact(ok, request);
            synchronized (this) {
                awaitingAnswer = offer == SdpOffer.NONE;
            }
            trunk.withSdp(ok, sdp(offer));
            answeredAtNs = trunk.nowNs();
            invite.sendResponse(ok);
            trunk.answered();
            return true;
        } catch (SipException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.warn("sip: call {} from {}: answer on RTP port {} failed in state {} (dialog {}): {}", callId,
                    remoteAddress, rtpPort, state, dialog == null ? "none" : dialog.getState(), e.toString());
            endFromAnyLiveState(EndReason.FAILED);
            // best effort, so that neither the PBX nor the INVITE transaction waits for ever
            trunk.send(invite, Responder.create(request, Response.SERVER_INTERNAL_ERROR, localTag));
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
     * <p>While the trunk is behind (its {@link OverloadGuard} sheds new calls, or this call's decision waited past
     * the guard's target), the call is refused with 503 and Retry-After instead: a redirect is for calls a full
     * server cannot take, not for a queue that is too long; under overload the ports fill with calls being set up
     * and torn down, and redirecting what the queue holds sends the overload on to the other server (issue 16).
     *
     * @throws IllegalArgumentException when {@code contactUri} is not a SIP URI
     */
    public boolean redirect(String contactUri) {
        Address target;
        try {
            target = trunk.address(contactUri);
            if (target.getURI() instanceof javax.sip.address.SipURI uri) {
                uri.setParameter(REDIRECT_MARK, null);
            }
        } catch (ParseException | NullPointerException e) {
            throw new IllegalArgumentException("contactUri=" + contactUri + ": not a SIP URI (call " + callId + ")");
        }
        if (trunk.behind(offeredAtNs)) {
            // a queue, not a full server: the ports are held by calls still being set up or torn down (BI-1)
            boolean refused = refuse(Response.SERVICE_UNAVAILABLE);
            if (refused) {
                trunk.shedForOverload();
            }
            return refused;
        }
        if (!move(CallState.OFFERED, CallState.REFUSED)) {
            return false;
        }
        SIPResponse moved = Responder.create(invite.getRequest(), Response.MOVED_TEMPORARILY, localTag);
        trunk.withContact(moved, target);
        trunk.redirected();
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
            CallState s = state;
            if (s == CallState.CONNECTED) {
                if (move(CallState.CONNECTED, CallState.ENDING)) {
                    sendBye();
                    return true;
                }
            } else if (s == CallState.ANSWERED) {
                if (move(CallState.ANSWERED, CallState.HANGUP_PENDING)) {
                    return true;
                }
            } else {
                return false;
            }
        }
    }

    @Override
    public String toString() {
        return "SipCall[" + callId + " " + state + ", from=" + parties.caller() + ", to=" + parties.called()
                + ", ruri=" + parties.requestUriUser() + ", redirecting=" + parties.redirecting() + ", "
                + parties.reason() + ", remote="
                + (remoteAddress == null ? "?" : remoteAddress.getHostAddress()) + ":" + remotePort
                + ", port=" + enginePortIndex + "]";
    }

    /** Who calls whom and why. */
    CallParties parties() {
        return parties;
    }

    CallState state() {
        return state;
    }

    boolean refuse(int statusCode) {
        if (!move(CallState.OFFERED, CallState.REFUSED)) {
            return false;
        }
        SIPResponse response = Responder.create(invite.getRequest(), statusCode, localTag);
        if (statusCode == Response.SERVICE_UNAVAILABLE) {
            trunk.withRetryAfter(response);
        }
        trunk.refused(statusCode);
        sendFinal(response);
        return true;
    }

    /**
     * The PBX acknowledged a 200 OK (the INVITE's or a re-INVITE's). When that 200 carried vmport's offer (the
     * INVITE had none), the ACK carries the answer (RFC 3264): its media is the call's now. An ACK without a usable
     * answer leaves the call without media; it is hung up (RFC 3261 section 13.2.2.4: the dialog is ended).
     */
    void acked(SIPRequest ack) {
        boolean mediaChanged = answerIn(ack);
        if (move(CallState.ANSWERED, CallState.CONNECTED)) {
            trunk.connected(this, answeredAtNs);
        } else if (move(CallState.HANGUP_PENDING, CallState.ENDING)) {
            sendBye();
            return;
        }
        if (mediaChanged) {
            trunk.mediaChanged(this);
        } else if (media().remotePort() == 0 && state == CallState.CONNECTED) {
            LOG.info("sip: call {} from {}: the ACK carries no usable answer to vmport's offer; hanging up", callId,
                    remoteAddress);
            hangUp();
        }
    }

    /** Takes the SDP answer in {@code ack} when one is awaited; whether the call's media changed. */
    private boolean answerIn(SIPRequest ack) {
        synchronized (this) {
            if (!awaitingAnswer) {
                return false;
            }
            awaitingAnswer = false;
        }
        SdpOffer answer;
        try {
            answer = SdpAnswerer.parse(ack.getRawContent());
        } catch (SdpRejection r) {
            LOG.info("sip: call {} from {}: unusable SDP answer in the ACK ({}): {}", callId, remoteAddress,
                    r.statusCode(), r.getMessage());
            return false;
        }
        if (answer == SdpOffer.NONE) {
            return false;
        }
        synchronized (this) {
            offer = answer;
        }
        return true;
    }

    /** A CANCEL for this call: 200 for it (through {@code cancelTx}, or statelessly when null), then {@link #cancel}. */
    void cancelled(ServerTransaction cancelTx, SIPRequest cancel) {
        trunk.send(cancelTx, Responder.create(cancel, Response.OK, localTag));
        cancel();
    }

    /** CANCEL before the answer: 487 for the INVITE, the call ends. False when too late (already answered). */
    boolean cancel() {
        if (!move(CallState.OFFERED, CallState.ENDED)) {
            return false;
        }
        sendFinal(Responder.create(invite.getRequest(), Response.REQUEST_TERMINATED, localTag));
        trunk.ended(this, EndReason.CANCELLED);
        return true;
    }

    /** BYE from the PBX, already answered 200. */
    void remoteBye() {
        endFromAnyLiveState(EndReason.REMOTE_BYE);
    }

    /** Our BYE got its final response or timed out. */
    void byeCompleted() {
        if (move(CallState.ENDING, CallState.ENDED)) {
            trunk.ended(this, EndReason.LOCAL_HANG_UP);
        }
    }

    /** The 200 OK was never acknowledged: end the call and tell the PBX with a BYE. */
    void noAck() {
        if (move(CallState.ANSWERED, CallState.ENDED) || move(CallState.HANGUP_PENDING, CallState.ENDED)) {
            trunk.ended(this, EndReason.NO_ACK);
            sendByeQuietly();
        }
    }

    /** The stack dropped the dialog. Normally the call is over already; if not, it ends here. */
    void dialogGone() {
        if (move(CallState.ENDING, CallState.ENDED)) {
            trunk.ended(this, EndReason.LOCAL_HANG_UP);
        } else {
            endFromAnyLiveState(EndReason.FAILED);
        }
    }

    /** A re-INVITE in this call's dialog: 200 with the same media (direction mirrored), or 400/488. */
    void reInvite(ServerTransaction tx, SIPRequest request) {
        CallState s = state;
        if (s != CallState.CONNECTED && s != CallState.ANSWERED) {
            trunk.send(tx, Responder.create(request, s == CallState.OFFERED ? Response.REQUEST_PENDING
                    : Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, localTag));
            return;
        }
        SdpOffer next;
        try {
            next = SdpAnswerer.parse(request.getRawContent());
        } catch (SdpRejection r) {
            trunk.send(tx, Responder.create(request, r.statusCode(), localTag));
            trunk.rejectedInDialog(r.statusCode());
            return;
        }
        boolean changed;
        synchronized (this) {
            changed = next != SdpOffer.NONE && !next.media.equals(offer.media);
            if (next != SdpOffer.NONE) {
                if (!next.sameAnswerAs(offer)) {
                    sdpVersion++;
                }
                offer = next;
            }
            awaitingAnswer = next == SdpOffer.NONE; // our 200 is the offer now; the ACK answers it
        }
        SIPResponse ok = Responder.create(request, Response.OK, localTag);
        trunk.withContact(ok, request);
        trunk.withSdp(ok, sdp(offer));
        trunk.send(tx, ok);
        if (changed) {
            trunk.mediaChanged(this); // hold, resume, a new address or codec: the media follows at once
        }
    }

    private synchronized String sdp(SdpOffer o) {
        return SdpAnswerer.answer(o, trunk.mediaAddress(), rtpPort, sessionId, sdpVersion);
    }

    private void sendFinal(SIPResponse response) {
        if (!trunk.send(invite, response)) {
            LOG.warn("sip: call {} from {}: could not send {} in state {}", callId, remoteAddress,
                    response.getStatusCode(), state);
        }
    }

    private void sendBye() {
        if (!sendByeQuietly()) {
            if (move(CallState.ENDING, CallState.ENDED)) {
                trunk.ended(this, EndReason.FAILED);
            }
        }
    }

    private boolean sendByeQuietly() {
        Dialog d = dialog;
        try {
            trunk.sendBye(d, this);
            return true;
        } catch (SipException | RuntimeException e) {
            LOG.warn("sip: call {} from {}: cannot send BYE in state {} (dialog {}): {}", callId, remoteAddress,
                    state, d == null ? "none" : d.getState(), e.toString());
            if (d != null) {
                d.delete();
            }
            return false;
        }
    }

    private void endFromAnyLiveState(EndReason why) {
        for (;;) {
            CallState s = state;
            if (s.isOver()) {
                return;
            }
            if (move(s, CallState.ENDED)) {
                trunk.ended(this, why);
                return;
            }
        }
    }

    /** The one way the state changes: {@code from} to {@code to}, if the call is still in {@code from}. */
    private boolean move(CallState from, CallState to) {
        if (!from.leadsTo(to)) {
            throw new IllegalStateException("call " + callId + ": no move from " + from + " to " + to);
        }
        if (!STATE.compareAndSet(this, from, to)) {
            return false;
        }
        if (from.inSetup() && !to.inSetup()) {
            trunk.setupOver();
        }
        return true;
    }
}
