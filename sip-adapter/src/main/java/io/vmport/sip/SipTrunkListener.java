package io.vmport.sip;

/**
 * What the engine implements to take calls from the SIP trunk. The adapter calls it on its own SIP threads;
 * implementations must return quickly (hand the event to their own pipeline) and must not throw.
 *
 * <p>Per call, the adapter calls {@link #onInvite} once, then {@link #onConnected} at most once (only after an
 * answer), then {@link #onEnded} at most once (never for a call the engine refused or redirected).
 */
public interface SipTrunkListener {

    /**
     * A new call is offered. 100 Trying has already been sent. The engine must later call exactly one of
     * {@link SipCall#answer}, {@link SipCall#redirect} or {@link SipCall#refuse}, from any thread.
     */
    void onInvite(SipCall call);

    /** The PBX acknowledged the answer (ACK received): the call is connected. */
    void onConnected(SipCall call);

    /**
     * The call's media changed after the answer ({@link SipCall#media()}): the SDP answer in the ACK to an INVITE
     * without an offer (the offer went in the 200 OK), or a re-INVITE's new offer (hold, resume, a new address or
     * codec). Called on a SIP thread, after {@link #onInvite}'s answer; the default does nothing.
     */
    default void onMediaChanged(SipCall call) {
    }

    /**
     * The call is over: BYE from the PBX, CANCEL before the answer, a local {@link SipCall#hangUp()} that
     * completed, or a failure (see {@link EndReason}). The engine frees the port here.
     */
    void onEnded(SipCall call, EndReason reason);

    /** Whether this server takes calls now; OPTIONS probes get 200 when true and 503 when false. */
    boolean takingCalls();
}
