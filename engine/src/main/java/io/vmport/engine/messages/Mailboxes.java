package io.vmport.engine.messages;

import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxDeletion;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to mailboxes and messages on the shared database (SPEC MS-3), by the admin API and the owner's phone
 * conversation alike; each change that may move a mailbox's counts is followed by them to the
 * {@link MailboxCountsNotifier} (MW-1). Blocks on the database; a {@code DatabaseException} means nothing changed
 * and nobody was told. Thread-safe.
 */
public final class Mailboxes {
    private static final Logger LOG = LoggerFactory.getLogger(Mailboxes.class);
    /** The most digits an extension of a new mailbox may have: an E.164 number's maximum (ITU-T E.164). */
    public static final int EXTENSION_MAX_DIGITS = 15;

    private final Database database;
    private final MailboxCountsNotifier counts;
    static final long COUNT_MAX_AGE_MS = 5_000;
    private final AtomicLong mailboxCount = new AtomicLong(-1);
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile long countedAtNs;
    /** Set by a change made here: count again at the next look, however recent the count. */
    private volatile boolean countStale = true;

    public Mailboxes(Database database, MailboxCountsNotifier counts) {
        this.database = Objects.requireNonNull(database, "database");
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    /** The notifier the changes go to. */
    public MailboxCountsNotifier counts() {
        return counts;
    }

    /**
     * Creates a mailbox without a greeting; false when its extension already has one (nothing changed).
     *
     * @throws IllegalArgumentException with the reason, for an extension that is not 1 to
     *                                  {@value #EXTENSION_MAX_DIGITS} digits or a bad name
     */
    public boolean create(String extension, String name, long nowMs) {
        if (extension == null || extension.isEmpty() || extension.length() > EXTENSION_MAX_DIGITS
                || !extension.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("extension must be 1 to " + EXTENSION_MAX_DIGITS + " digits, was "
                    + (extension == null ? "missing" : "'" + extension + "'"));
        }
        if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > MailboxRow.NAME_MAX_CHARS) {
            throw new IllegalArgumentException("name must be 1 to " + MailboxRow.NAME_MAX_CHARS
                    + " characters, not blank, was " + (name == null ? "missing" : "'" + name + "'"));
        }
        boolean created = database.mailboxes().create(MailboxRow.of(extension, name.strip()), nowMs);
        countStale = true;
        return created;
    }

    /** Deletes the mailbox, with its messages only when {@code force}; a deleted mailbox's lamp goes off. */
    public MailboxDeletion delete(String extension, boolean force) {
        MailboxDeletion d = database.mailboxes().delete(extension, force);
        if (d.outcome() == MailboxDeletion.Outcome.DELETED) {
            countStale = true;
            counts.deleted(extension);
        }
        return d;
    }

    /**
     * Gives the mailbox {@code wav} as its greeting, checked and converted by {@link Greetings#normalize}; false
     * when there is no such mailbox.
     *
     * @throws IllegalArgumentException with the reason the file is refused
     */
    public boolean setGreeting(String extension, byte[] wav) {
        byte[] stored = Greetings.normalize(wav);
        return database.mailboxes().setGreeting(extension, stored);
    }

    /** Back to the system greeting; false when there is no such mailbox. */
    public boolean deleteGreeting(String extension) {
        return database.mailboxes().setGreeting(extension, null);
    }

    /** Marks the message heard; the message as it was, or empty when there is none. */
    public Optional<MessageRow> markHeard(String messageId) {
        Optional<MessageRow> m = database.messages().find(messageId);
        if (m.isPresent() && !m.get().heard() && database.messages().markHeard(messageId)) {
            counts.changed(m.get().mailbox());
        }
        return m;
    }

    /** Deletes the message; the message as it was, or empty when there was none. */
    public Optional<MessageRow> deleteMessage(String messageId) {
        Optional<MessageRow> m = database.messages().find(messageId);
        if (m.isEmpty() || !database.messages().delete(messageId)) {
            return Optional.empty();  // none, or deleted meanwhile by someone else
        }
        counts.changed(m.get().mailbox());
        return m;
    }

    /**
     * How many mailboxes there are, as last counted, at once (for {@code /metrics}, answered on the HTTP event
     * loop, which must not wait for the database); -1 before the first count. When the count is older than
     * {@value #COUNT_MAX_AGE_MS} ms it is counted again on a short-lived thread of its own, one at a time, so the
     * answer is at most one call behind.
     */
    public long mailboxCount(long nowNs) {
        boolean old = countStale || nowNs - countedAtNs > COUNT_MAX_AGE_MS * 1_000_000L;
        if (old && counting.compareAndSet(false, true)) {
            countStale = false;  // before counting: a change made while it counts asks again
            Thread t = new Thread(() -> {
                try {
                    mailboxCount.set(database.mailboxes().count());
                    countedAtNs = nowNs;
                } catch (RuntimeException e) {
                    countStale = true;
                    LOG.debug("cannot count the mailboxes: {}", e.toString());
                } finally {
                    counting.set(false);
                }
            }, "vmport-mailbox-count");
            t.setDaemon(true);
            t.start();
        }
        return mailboxCount.get();
    }
}
