package io.vmport.sip;

/** Why a call that reached the engine ended. */
public enum EndReason {
    /** The PBX sent BYE. */
    REMOTE_BYE,
    /** The PBX sent CANCEL before the call was answered (the INVITE got 487). */
    CANCELLED,
    /** {@link SipCall#hangUp()} sent BYE and it completed (answered or timed out). */
    LOCAL_HANG_UP,
    /** The 200 OK was never acknowledged: the dialog timed out and the adapter sent BYE. */
    NO_ACK,
    /** The adapter could not send a message for this call, or the stack dropped its dialog. */
    FAILED
}
