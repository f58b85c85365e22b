package io.vmport.engine.node;

import io.vmport.config.db.CallRecordRow;
import io.vmport.engine.pipeline.CallRecord;
import io.vmport.engine.pipeline.CallRecordBatch;
import io.vmport.engine.pipeline.JournalSink;
import io.vmport.engine.ports.PortPlan;

/**
 * The journal stage's sink (SPEC CA-6): copies each record out of the reused batch into a {@link CallRecordRow},
 * with the pipeline's nanosecond stamps turned into epoch milliseconds, counts it ({@link CallCounters}), and hands it
 * to the {@link DatabaseWriter}. Never blocks the journal thread.
 */
final class DatabaseJournalSink implements JournalSink {
    private final PortPlan plan;
    private final WallClock clock;
    private final DatabaseWriter writer;
    private final CallCounters counters;

    DatabaseJournalSink(PortPlan plan, WallClock clock, DatabaseWriter writer, CallCounters counters) {
        this.plan = plan;
        this.clock = clock;
        this.writer = writer;
        this.counters = counters;
    }

    @Override
    public void write(CallRecordBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            CallRecord r = batch.get(i);
            counters.count(r);
            writer.submit(row(r));
        }
    }

    CallRecordRow row(CallRecord r) {
        String port = r.port() >= 0 && r.port() < plan.size() ? plan.port(r.port()).name() : null;
        String cause = r.cause() != null ? r.cause().name()
                : r.redirectedTo() != null ? "redirected to " + r.redirectedTo().configName() : null;
        return new CallRecordRow(r.callId(), r.server(), port, plan.integration(), r.caller(), r.called(),
                emptyToNull(r.redirecting()), clock.toEpochMs(r.offeredNs()), time(r.answeredNs()),
                time(r.endedNs()), r.outcome() == null ? "UNKNOWN" : r.outcome().name(), cause);
    }

    private Long time(long ns) {
        return ns == CallRecord.NO_TIME ? null : clock.toEpochMs(ns);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
