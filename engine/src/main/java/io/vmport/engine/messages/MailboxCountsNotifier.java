package io.vmport.engine.messages;

import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseException;
import io.vmport.config.db.MailboxCountsRow;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link MailboxCountsListener} (MWI, SPEC MW-1) a mailbox's counts after a change: reads them from the
 * database and calls the listener under one lock, so that two changes to a mailbox made at the same moment on
 * this node cannot reach the listener in the wrong order (the later call always carries counts read later).
 * When the counts cannot be read the change is logged and not told: the next PRIMARY's full send (MW-3) or the
 * mailbox's next change corrects the lamp. Thread-safe.
 */
public final class MailboxCountsNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxCountsNotifier.class);

    private final Database database;
    private volatile MailboxCountsListener listener = MailboxCountsListener.NONE;

    public MailboxCountsNotifier(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** From now on tells {@code listener} (replacing the one before; {@link MailboxCountsListener#NONE}: nobody). */
    public void listen(MailboxCountsListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The mailbox's messages changed (stored, heard, deleted): tells the listener its counts now. */
    public void changed(String extension) {
        read(extension, this::tell);
    }

    /**
     * Reads the mailbox's counts and hands them to {@code use} under the lock that orders this notifier's calls,
     * so that nothing told after it carries older counts (MWI for a change made on the other server, SPEC MW-1).
     * When the counts cannot be read it is logged and {@code use} is not called.
     */
    public void read(String extension, Consumer<MailboxCountsRow> use) {
        synchronized (this) {
            MailboxCountsRow counts;
            try {
                counts = database.messages().counts(extension);
            } catch (DatabaseException e) {
                LOG.warn("mailbox {} changed but its counts cannot be read, MWI not told: {}", extension,
                        e.getMessage());
                return;
            }
            use.accept(counts);
        }
    }

    /** The mailbox was deleted: tells the listener it has no message (its lamp goes off). */
    public void deleted(String extension) {
        synchronized (this) {
            tell(new MailboxCountsRow(extension, 0, 0));
        }
    }

    /**
     * Every mailbox's counts, in one query, handed to {@code use} under the lock that orders this notifier's calls
     * (SPEC MW-3 and the PRIMARY's reconcile: what {@code use} sends cannot overtake a newer change told after).
     * May block on the database.
     *
     * @throws DatabaseException when the counts cannot be read ({@code use} is not called)
     */
    public void readAll(Consumer<List<MailboxCountsRow>> use) {
        synchronized (this) {
            use.accept(database.messages().countsByMailbox());
        }
    }

    private void tell(MailboxCountsRow counts) {
        try {
            listener.onCountsChanged(counts.extension(), counts.newCount(), counts.oldCount());
        } catch (RuntimeException e) {
            LOG.warn("the MWI listener failed for {}", counts, e);
        }
    }
}
