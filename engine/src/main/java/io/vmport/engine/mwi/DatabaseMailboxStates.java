package io.vmport.engine.mwi;

import io.vmport.config.db.MailboxCountsRow;
import io.vmport.engine.messages.MailboxCountsNotifier;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The mailboxes' counts from the shared database, read through the message store's
 * {@link MailboxCountsNotifier} so that they are ordered with the changes it tells (SPEC MW-1, MW-3).
 */
public final class DatabaseMailboxStates implements MailboxStates {
    private final MailboxCountsNotifier counts;

    public DatabaseMailboxStates(MailboxCountsNotifier counts) {
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    @Override
    public void readAll(Consumer<List<MailboxCountsRow>> use) {
        counts.readAll(use);
    }

    @Override
    public void read(String extension, Consumer<MailboxCountsRow> use) {
        counts.read(extension, use);
    }
}
