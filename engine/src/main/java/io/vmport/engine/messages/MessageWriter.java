package io.vmport.engine.messages;

import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseException;
import io.vmport.config.db.MessageRow;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's message writer thread (SPEC MS-2), beside the {@code DatabaseWriter} of call records and in its
 * spirit (BI-4), but with the spool on disk in place of a queue in memory: a message is kept in the
 * {@link MessageSpool} before {@link #submit} returns, then this thread stores it in the database and removes the
 * file. While the database refuses a message the thread retries it, behind the others, with a backoff of
 * {@value #BACKOFF_INITIAL_MS} ms doubling to {@value #BACKOFF_MAX_MS} ms; at start it stores whatever an earlier
 * run left in the spool. Message ids are made by the node and inserts skip an id already stored, so a message
 * stored just before a crash and written again after the restart is stored once: none lost, none twice.
 */
public final class MessageWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageWriter.class);
    static final long BACKOFF_INITIAL_MS = 100;
    static final long BACKOFF_MAX_MS = 5_000;

    private final Database database;
    private final MessageSpool spool;
    private final LinkedBlockingQueue<Path> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean outage;

    public MessageWriter(Database database, MessageSpool spool, String threadName) {
        this.database = java.util.Objects.requireNonNull(database, "database");
        this.spool = java.util.Objects.requireNonNull(spool, "spool");
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /** Starts the thread; it first stores what the spool holds from an earlier run. */
    public void start() {
        queue.addAll(spool.files());
        if (!queue.isEmpty()) {
            LOG.info("message spool {}: {} message(s) kept by an earlier run, storing them", spool.directory(),
                    queue.size());
        }
        thread.start();
    }

    /**
     * Keeps the message in the spool (on disk when this returns), for the thread to store. Blocks for the disk
     * write only, never for the database.
     *
     * @throws UncheckedIOException when the spool cannot keep it
     */
    public void submit(MessageRow row, byte[] audio) {
        queue.add(spool.write(new SpooledMessage(row, audio)));
    }

    /** Messages stored since the start. */
    public long written() {
        return written.get();
    }

    /** Whether the last write failed and the writer is retrying. */
    public boolean outage() {
        return outage;
    }

    /** Messages kept in the spool and not stored yet (counted on disk). */
    public int unstored() {
        return spool.size();
    }

    private void run() {
        long backoffMs = BACKOFF_INITIAL_MS;
        while (running) {
            Path file;
            try {
                file = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;  // close() interrupts; running says whether to stop
            }
            if (file == null) {
                continue;
            }
            if (storeOnce(file)) {
                backoffMs = BACKOFF_INITIAL_MS;
            } else {
                // Behind the others, so that one message the database keeps refusing (too big for its packet
                // limit, say) does not hold back the rest; the file stays in the spool meanwhile.
                queue.add(file);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs));
                backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
            }
        }
    }

    /** Stores one spooled message and removes its file; false when the database refused it (retry later). */
    private boolean storeOnce(Path file) {
        SpooledMessage m;
        try {
            m = spool.read(file);
        } catch (UncheckedIOException e) {
            if (!java.nio.file.Files.exists(file)) {
                return true;  // already stored and removed (a duplicate entry in the queue)
            }
            LOG.error("message spool {}: {} cannot be read and is set aside as {}: {}", spool.directory(),
                    file.getFileName(), spool.setAside(file).getFileName(), e.getMessage());
            return true;
        }
        try {
            database.messages().insert(m.row(), m.audio());
        } catch (DatabaseException e) {
            if (!outage) {
                LOG.warn("cannot store message {} ({} more kept): {}; kept in {} and retried every {}..{} ms",
                        m.row().id(), queue.size(), e.getMessage(), spool.directory(), BACKOFF_INITIAL_MS,
                        BACKOFF_MAX_MS);
                outage = true;
            }
            return false;
        }
        spool.remove(file);
        written.incrementAndGet();
        if (outage) {
            LOG.info("database is back: stored message {} kept through the outage; {} more kept", m.row().id(),
                    queue.size());
            outage = false;
        }
        return true;
    }

    /** Ends the current backoff: the writer retries at once. */
    public void retryNow() {
        LockSupport.unpark(thread);
    }

    /**
     * Stops the thread, waiting at most {@code timeoutMs} for the message being stored. What is not stored stays
     * in the spool, for the next start.
     */
    public void close(long timeoutMs) {
        running = false;
        thread.interrupt();
        try {
            thread.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            LOG.info("message writer stopped with {} message(s) kept in {} for the next start", left, spool.directory());
        }
    }

    @Override
    public void close() {
        close(10_000);
    }

    @Override
    public String toString() {
        return "MessageWriter[written=" + written.get() + ", unstored=" + queue.size() + ", outage=" + outage
                + ", spool=" + spool.directory() + "]";
    }
}
