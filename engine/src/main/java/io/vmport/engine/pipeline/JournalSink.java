package io.vmport.engine.pipeline;

/**
 * Where the journal stage hands its call records (SPEC CA-6), one batch at the end of each pipeline batch.
 * Called on the journal thread only.
 *
 * <p>The batch and its records are reused as soon as {@link #write} returns: a sink copies what it keeps. A
 * sink must not block (with {@link StageThreads#SHARED} it would delay every reply; with a thread per stage it
 * fills the ring) and must not lose records when its store is down (SPEC BI-4): it hands them to its own writer
 * thread, which keeps them until the store is back. An exception thrown here is logged and the batch is dropped.
 */
@FunctionalInterface
public interface JournalSink {
    void write(CallRecordBatch batch);
}
