package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallOutcome;

import io.vmport.engine.calls.CallReason;

import io.vmport.config.ServerName;
import io.vmport.engine.routing.RefuseCause;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A journal sink that copies every record it is handed (the batch is reused, SPEC CA-6). */
final class RecordingJournalSink implements JournalSink {
    /** A copy of one {@link CallRecord}. */
    record Copy(String callId, ServerName server, int port, String caller, String called, String redirecting,
                CallReason reason, long offeredNs, long answeredNs, long endedNs, CallOutcome outcome,
                RefuseCause cause, ServerName redirectedTo) {
    }

    final List<Copy> records = new CopyOnWriteArrayList<>();

    @Override
    public void write(CallRecordBatch batch) {
        Copy[] copies = new Copy[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            CallRecord r = batch.get(i);
            copies[i] = new Copy(r.callId(), r.server(), r.port(), r.caller(), r.called(), r.redirecting(),
                    r.reason(), r.offeredNs(), r.answeredNs(), r.endedNs(), r.outcome(), r.cause(), r.redirectedTo());
        }
        records.addAll(List.of(copies));
    }
}
