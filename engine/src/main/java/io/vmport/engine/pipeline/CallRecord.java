package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallOutcome;

import io.vmport.engine.calls.CallReason;

import io.vmport.config.ServerName;
import io.vmport.engine.routing.RefuseCause;

/**
 * One call's record (SPEC CA-6), as the journal stage builds it. Instances are preallocated in a
 * {@link CallRecordBatch} and reused: read them inside {@link JournalSink#write} and copy what you keep.
 *
 * <p>Times are in the pipeline clock's nanoseconds (see {@link NanoClock}); the sink converts them to wall-clock
 * time. The integration is the cluster's and is not repeated here.
 */
public final class CallRecord {
    /** A time that never happened, e.g. {@link #answeredNs()} of a call that was never connected. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private String callId;
    private ServerName server;
    private int port;
    private String caller;
    private String called;
    private String redirecting;
    private CallReason reason;
    private long offeredNs;
    private long answeredNs;
    private long endedNs;
    private CallOutcome outcome;
    private RefuseCause cause;
    private ServerName redirectedTo;

    CallRecord() {
        clear();
    }

    void set(String callId, ServerName server, int port, String caller, String called, String redirecting,
             CallReason reason, long offeredNs, long answeredNs, long endedNs, CallOutcome outcome,
             RefuseCause cause, ServerName redirectedTo) {
        this.callId = callId;
        this.server = server;
        this.port = port;
        this.caller = caller;
        this.called = called;
        this.redirecting = redirecting;
        this.reason = reason;
        this.offeredNs = offeredNs;
        this.answeredNs = answeredNs;
        this.endedNs = endedNs;
        this.outcome = outcome;
        this.cause = cause;
        this.redirectedTo = redirectedTo;
    }

    void clear() {
        set(null, null, -1, null, null, null, null, NO_TIME, NO_TIME, NO_TIME, null, null, null);
    }

    public String callId() {
        return callId;
    }

    /** The server the call landed on. */
    public ServerName server() {
        return server;
    }

    /** The port that took the call, or -1 when none did. */
    public int port() {
        return port;
    }

    public String caller() {
        return caller;
    }

    public String called() {
        return called;
    }

    /** The redirecting (forwarding) number, or null. */
    public String redirecting() {
        return redirecting;
    }

    public CallReason reason() {
        return reason;
    }

    public long offeredNs() {
        return offeredNs;
    }

    /** When the call was connected, or {@link #NO_TIME}. */
    public long answeredNs() {
        return answeredNs;
    }

    /** When the call ended; for a redirected, refused or failed call, when the decision was made. */
    public long endedNs() {
        return endedNs;
    }

    public CallOutcome outcome() {
        return outcome;
    }

    /** Why it was refused, or null. */
    public RefuseCause cause() {
        return cause;
    }

    /** Where it was redirected, or null. */
    public ServerName redirectedTo() {
        return redirectedTo;
    }

    @Override
    public String toString() {
        return "CallRecord{callId=" + callId + ", server=" + server + ", port=" + port + ", caller=" + caller
                + ", called=" + called + ", redirecting=" + redirecting + ", reason=" + reason
                + ", offeredNs=" + offeredNs + ", answeredNs=" + answeredNs + ", endedNs=" + endedNs
                + ", outcome=" + outcome + ", cause=" + cause + ", redirectedTo=" + redirectedTo + '}';
    }
}
