package io.vmport.engine.mwi;

import io.vmport.config.db.MailboxCountsRow;
import java.util.List;
import java.util.function.Consumer;

/**
 * The mailboxes' current counts for the {@link MwiPublisher}; the node's is {@link DatabaseMailboxStates}. Each
 * read hands its counts to {@code use} in order with the changes the message store tells the publisher, so that
 * what {@code use} sends cannot overtake a newer change. Called on the MWI checker's thread: may block on the
 * database.
 */
public interface MailboxStates {

    /**
     * Every mailbox's counts, one row per extension (SPEC MW-3, the reconcile).
     *
     * @throws RuntimeException when they cannot be read ({@code use} is not called; the publisher tries later)
     */
    void readAll(Consumer<List<MailboxCountsRow>> use);

    /** One mailbox's counts (a change made on the other server); not read: logged, {@code use} not called. */
    void read(String extension, Consumer<MailboxCountsRow> use);
}
