package io.vmport.engine.calls;

/** How a call ended, in its call record (SPEC CA-6). */
public enum CallOutcome {
    /** Answered on a port, connected, then ended. */
    ANSWERED,
    /** Answered on a port but ended before it was connected (the caller hung up while it rang). */
    ABANDONED,
    /** Redirected to the other server. */
    REDIRECTED,
    /** Refused; the record's cause says why. */
    REFUSED,
    /** The engine failed to route it (logged); the caller was refused as NOT_TAKING_CALLS. */
    FAILED
}
