package io.vmport.engine.cluster;

/** The alarms of SPEC AL-1. */
public enum AlarmName {
    AutoFailoverSucceeded,
    AutoFailoverFailed,
    AutoFailbackSucceeded,
    AutoFailbackFailed,
    NoConnectionToPeer,
    SbrFailed,
    StatusChangeStarted,
    StatusChangeCompleted,
    ServerDrained,
    /** MWI for a mailbox could not be delivered: its NOTIFY failed every attempt (SPEC MW-2). */
    MwiFailed
}
