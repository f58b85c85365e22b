package io.vmport.engine.pipeline;

/**
 * The journal's preallocated batch of call records, handed to the {@link JournalSink} and then reused.
 * Owned by the journal thread; records beyond {@link #size()} are stale.
 */
public final class CallRecordBatch {
    private final CallRecord[] records;
    private int size;

    CallRecordBatch(int capacity) {
        records = new CallRecord[capacity];
        for (int i = 0; i < capacity; i++) {
            records[i] = new CallRecord();
        }
    }

    public int size() {
        return size;
    }

    /** The record at {@code index}, valid until {@link JournalSink#write} returns. */
    public CallRecord get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        return records[index];
    }

    boolean isFull() {
        return size == records.length;
    }

    /** The next free record, to be filled by the caller. */
    CallRecord append() {
        return records[size++];
    }

    /** Empties the batch and releases the references its records held. */
    void clear() {
        for (int i = 0; i < size; i++) {
            records[i].clear();
        }
        size = 0;
    }
}
