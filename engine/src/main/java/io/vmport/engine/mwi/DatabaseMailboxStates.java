package io.vmport.engine.mwi;

import io.vmport.config.db.MessageRepository;
import java.util.List;
import java.util.Objects;

/**
 * Every mailbox's counts from the shared database, in one query (SPEC MW-3: what a new PRIMARY sends). Blocks on
 * the database; a {@link io.vmport.config.db.DatabaseException} leaves the {@link MwiPublisher} to try again at
 * its next check.
 */
public final class DatabaseMailboxStates implements MailboxStates {
    private final MessageRepository messages;

    public DatabaseMailboxStates(MessageRepository messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    @Override
    public List<MailboxCounts> all() {
        return messages.countsByMailbox().stream()
                .map(r -> new MailboxCounts(r.extension(), r.newCount(), r.oldCount())).toList();
    }
}
