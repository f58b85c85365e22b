package io.vmport.engine.node;

import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseException;
import io.vmport.engine.retry.Backoff;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one database writer thread for call records and alarms (SPEC CA-6, AL-1). Producers (the journal
 * and router threads) only {@link #submit} and never wait. The thread takes what is queued, up to
 * {@value #MAX_BATCH} rows (a small batch lingers {@value #LINGER_MS} ms for more), and stores it in batched
 * transactions; when the database is down it keeps the
 * batch and retries with a backoff of {@value #BACKOFF_INITIAL_MS} ms doubling to {@value #BACKOFF_MAX_MS} ms,
 * so no row is lost (SPEC BI-4). Inserts skip rows already stored, so a retry never duplicates one.
 *
 * <p>Memory is bounded: the queue holds {@code capacity} rows. Beyond that a row is dropped and counted
 * ({@link #dropped()}), logged at ERROR: an outage long enough to fill it is one the operator must see.
 */
final class DatabaseWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWriter.class);
    static final int MAX_BATCH = 1_000;
    static final long BACKOFF_INITIAL_MS = 100;
    static final long BACKOFF_MAX_MS = 5_000;
    /**
     * A batch smaller than {@value #LINGER_BELOW_ROWS} rows waits {@value #LINGER_MS} ms for more before it is
     * stored. Half the writer's CPU at 2,500 calls/s went to per-transaction round trips (autocommit off, commit)
     * for batches of a few rows; a record stored 10 ms later changes nothing for anyone reading it.
     */
    static final long LINGER_MS = 10;
    static final int LINGER_BELOW_ROWS = 64;

    private final Database database;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean outage;
    /** Rows taken from the queue and not stored yet. */
    private volatile int inFlight;

    DatabaseWriter(Database database, int capacity, String threadName) {
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a call record. Never blocks. */
    void submit(CallRecordRow row) {
        offer(row);
    }

    /** Queues an alarm. Never blocks. */
    void submit(AlarmRow row) {
        offer(row);
    }

    private void offer(Object row) {
        if (!queue.offer(row)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1_000 == 0) {
                LOG.error("database writer queue full ({} rows, outage={}): {} row(s) dropped so far; last {}",
                        queue.size(), outage, n, row);
            }
        }
    }

    /** Rows stored since the start. */
    long written() {
        return written.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Whether the last write failed and the writer is retrying. */
    boolean outage() {
        return outage;
    }

    /** Rows queued, not counting the batch being written. */
    int pending() {
        return queue.size();
    }

    /** Rows not stored yet: queued, and the batch being written or kept through an outage (BI-4, ST-12). */
    int unstored() {
        return queue.size() + inFlight;
    }

    private void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        Backoff backoff = new Backoff(BACKOFF_INITIAL_MS, BACKOFF_MAX_MS);
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    if (batch.size() < LINGER_BELOW_ROWS && running) {
                        // a small batch: let more rows come, so that one transaction carries them all
                        sleep(LINGER_MS);
                        queue.drainTo(batch, MAX_BATCH - batch.size());
                    }
                    inFlight = batch.size();
                }
                store(batch);
                written.addAndGet(batch.size());
                if (outage) {
                    LOG.info("database is back: stored the {} rows kept through the outage; {} queued behind them",
                            batch.size(), queue.size());
                    outage = false;
                }
                batch.clear();
                inFlight = 0;
                backoff.reset();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (DatabaseException | IllegalArgumentException e) {
                if (!outage) {
                    LOG.warn("cannot store {} rows ({} queued): {}; retrying every {}..{} ms", batch.size(),
                            queue.size(), e.getMessage(), BACKOFF_INITIAL_MS, BACKOFF_MAX_MS);
                    outage = true;
                }
                if (!running) {
                    LOG.error("database writer stopping with {} rows not stored ({} queued): {}", batch.size(),
                            queue.size(), e.getMessage());
                    return;
                }
                sleep(backoff.nextDelayMs());
            } catch (RuntimeException e) {
                LOG.error("database writer: unexpected failure storing {} rows; retrying", batch.size(), e);
                sleep(backoff.nextDelayMs());
            }
        }
    }

    private void store(List<Object> batch) {
        List<CallRecordRow> records = new ArrayList<>(batch.size());
        List<AlarmRow> alarms = new ArrayList<>();
        for (Object row : batch) {
            if (row instanceof CallRecordRow r) {
                records.add(r);
            } else {
                alarms.add((AlarmRow) row);
            }
        }
        // Each insert skips rows already stored, so after a partial success the retry stores only the rest.
        database.callRecords().insertAll(records);
        database.alarms().insertAll(alarms);
    }

    /** Waits out a backoff; {@link #retryNow()} ends it early. */
    private static void sleep(long ms) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** Ends the current backoff: the writer retries at once (the database is known to be back, ST-12 merge). */
    void retryNow() {
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    /**
     * Stores what is queued (waiting at most {@code flushTimeoutMs}; with the database down, the rest is
     * reported lost), then stops the thread.
     */
    void close(long flushTimeoutMs) {
        running = false;
        try {
            thread.join(flushTimeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.error("database writer did not flush within {} ms: {} rows queued not stored (outage={})",
                    flushTimeoutMs, queue.size(), outage);
        }
    }

    @Override
    public void close() {
        close(10_000);
    }

    @Override
    public String toString() {
        return "DatabaseWriter[written=" + written.get() + ", queued=" + queue.size() + ", dropped=" + dropped.get()
                + ", outage=" + outage + "]";
    }
}
