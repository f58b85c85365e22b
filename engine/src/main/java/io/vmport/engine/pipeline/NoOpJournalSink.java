package io.vmport.engine.pipeline;

/** A journal sink that drops every record: for benchmarks, which measure the pipeline, not a database. */
public final class NoOpJournalSink implements JournalSink {
    public static final NoOpJournalSink INSTANCE = new NoOpJournalSink();

    private NoOpJournalSink() {
    }

    @Override
    public void write(CallRecordBatch batch) {
        // nothing
    }
}
