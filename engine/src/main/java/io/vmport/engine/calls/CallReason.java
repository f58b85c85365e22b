package io.vmport.engine.calls;

/** Why a call reached voice messaging, as the port monitor shows it (SPEC PM-1). */
public enum CallReason {
    /** The caller dialled the voice-messaging number. */
    DIRECT,
    /** Forwarded because the called extension was busy. */
    FORWARDED_BUSY,
    /** Forwarded because the called extension did not answer. */
    FORWARDED_NO_ANSWER,
    /** Forwarded for another reason (unconditional forwarding, deflection, ...). */
    FORWARDED_OTHER
}
