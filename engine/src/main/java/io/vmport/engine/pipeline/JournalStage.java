package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallOutcome;

import io.vmport.engine.calls.CallReason;

import com.lmax.disruptor.EventHandler;
import io.vmport.config.ServerName;
import io.vmport.engine.routing.RefuseCause;
import io.vmport.engine.routing.RoutingDecision;

/**
 * Builds every call's record (SPEC CA-6) from the event stream and hands them to the {@link JournalSink} in
 * batches, at the end of each pipeline batch (or when its batch is full).
 *
 * <p>A call refused, redirected or failed at the offer is recorded at once; a call answered on a port is
 * recorded when it ends, from what this stage kept about it in its own per-port arrays. Records and arrays are
 * preallocated: nothing is allocated per call.
 */
final class JournalStage implements EventHandler<PipelineEvent> {
    private final JournalSink sink;
    private final CallRecordBatch batch;
    private final String[] callId;
    private final ServerName[] server;
    private final String[] caller;
    private final String[] called;
    private final String[] redirecting;
    private final CallReason[] reason;
    private final long[] offeredNs;
    private final long[] answeredNs;

    JournalStage(JournalSink sink, int portCount, int batchSize) {
        this.sink = sink;
        this.batch = new CallRecordBatch(batchSize);
        callId = new String[portCount];
        server = new ServerName[portCount];
        caller = new String[portCount];
        called = new String[portCount];
        redirecting = new String[portCount];
        reason = new CallReason[portCount];
        offeredNs = new long[portCount];
        answeredNs = new long[portCount];
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        try {
            if (event.routed || event.type == EventType.CALL_OFFERED) {
                apply(event);
            }
        } finally {
            if (endOfBatch && batch.size() > 0) {
                flush();
            }
        }
    }

    private void apply(PipelineEvent event) {
        switch (event.type) {
            case CALL_OFFERED -> offered(event);
            case CALL_ANSWERED -> answeredNs[event.port] = event.nowNs;
            case CALL_ENDED -> ended(event);
            default -> {
            }
        }
    }

    private void offered(PipelineEvent e) {
        if (!e.routed) {
            record(e, -1, CallOutcome.FAILED, RefuseCause.NOT_TAKING_CALLS, null);
            return;
        }
        RoutingDecision d = e.decision;
        switch (d.kind()) {
            case ANSWER -> {
                int p = d.portIndex();
                callId[p] = e.callId;
                server[p] = e.server;
                caller[p] = e.caller;
                called[p] = e.called;
                redirecting[p] = e.redirecting;
                reason[p] = e.reason;
                offeredNs[p] = e.nowNs;
                answeredNs[p] = CallRecord.NO_TIME;
            }
            case REDIRECT -> record(e, -1, CallOutcome.REDIRECTED, null, d.redirectTo());
            case REFUSE -> record(e, -1, CallOutcome.REFUSED, d.cause(), null);
        }
    }

    private void record(PipelineEvent e, int port, CallOutcome outcome, RefuseCause cause, ServerName to) {
        if (batch.isFull()) {
            flush();
        }
        batch.append().set(e.callId, e.server, port, e.caller, e.called, e.redirecting, e.reason, e.nowNs,
                CallRecord.NO_TIME, e.nowNs, outcome, cause, to);
    }

    private void ended(PipelineEvent e) {
        int p = e.port;
        if (batch.isFull()) {
            flush();
        }
        long answered = answeredNs[p];
        batch.append().set(callId[p], server[p], p, caller[p], called[p], redirecting[p], reason[p], offeredNs[p],
                answered, e.nowNs, answered == CallRecord.NO_TIME ? CallOutcome.ABANDONED : CallOutcome.ANSWERED,
                null, null);
        callId[p] = null;
        server[p] = null;
        caller[p] = null;
        called[p] = null;
        redirecting[p] = null;
        reason[p] = null;
    }

    private void flush() {
        try {
            sink.write(batch);
        } finally {
            batch.clear();
        }
    }
}
