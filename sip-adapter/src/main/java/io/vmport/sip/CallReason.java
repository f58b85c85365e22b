package io.vmport.sip;

/** Why the call reached voice mail, from the topmost {@code Diversion} header's {@code reason} parameter. */
public enum CallReason {
    /** No Diversion header: the caller dialled the voice-messaging number. */
    DIRECT,
    /** {@code reason=user-busy}. */
    FORWARDED_BUSY,
    /** {@code reason=no-answer}. */
    FORWARDED_NO_ANSWER,
    /** Any other diversion reason ({@code unconditional}, {@code unknown}, {@code deflection}, ...). */
    FORWARDED
}
