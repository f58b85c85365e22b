package io.vmport.engine.messages;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseException;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.engine.conversation.Mailbox;
import io.vmport.engine.conversation.MessageStore;
import io.vmport.engine.conversation.MessageSummary;
import io.vmport.engine.conversation.NewMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation's message store on the shared database (SPEC MS-1), with new messages through the node's
 * {@link MessageWriter} (MS-2). Thread-safe; the reads block on the database.
 *
 * <p>While the database is unreachable the conversation goes on: mailboxes are looked up in a copy of those last
 * read (so a forwarded call is still greeted and recorded, and its message kept in the spool), a greeting falls
 * back to the system greeting, the owner hears no messages, and marking or deleting is skipped with a warning.
 */
public final class DatabaseMessageStore implements MessageStore {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseMessageStore.class);

    private final Database database;
    private final MessageWriter writer;
    /** The mailboxes as last read, by extension: the lookup while the database is down. */
    private final Map<String, MailboxRow> known = new ConcurrentHashMap<>();

    /** Reads the mailboxes once (when it can), so that a database outage right after start still finds them. */
    public DatabaseMessageStore(Database database, MessageWriter writer) {
        this.database = java.util.Objects.requireNonNull(database, "database");
        this.writer = java.util.Objects.requireNonNull(writer, "writer");
        reading("read the mailboxes", () -> {
            database.mailboxes().all().forEach(m -> known.put(m.extension(), m));
            return null;
        }, null);
    }

    @Override
    public Optional<Mailbox> mailbox(String extension) {
        Optional<MailboxRow> row;
        try {
            row = database.mailboxes().find(extension);
            row.ifPresentOrElse(m -> known.put(m.extension(), m), () -> known.remove(extension));
        } catch (DatabaseException e) {
            row = Optional.ofNullable(known.get(extension));
            LOG.warn("mailbox {}: database unreachable, using the copy last read ({}): {}", extension,
                    row.isPresent() ? "a mailbox" : "none", e.getMessage());
        }
        return row.map(m -> new Mailbox(m.extension(), m.name(), m.hasGreeting()));
    }

    @Override
    public Optional<byte[]> greeting(String extension) {
        return reading("read the greeting of " + extension, () -> database.mailboxes().greeting(extension),
                Optional.empty());
    }

    @Override
    public List<MessageSummary> messages(String extension) {
        return reading("read the messages of " + extension, () -> database.messages().forMailbox(extension).stream()
                .map(DatabaseMessageStore::summary).toList(), List.of());
    }

    @Override
    public Optional<byte[]> audio(String messageId) {
        return reading("read message " + messageId, () -> database.messages().audio(messageId), Optional.empty());
    }

    /** Gives the message its id and keeps it in the spool for the writer (MS-2); blocks for the disk write. */
    @Override
    public void store(NewMessage m) {
        MessageRow row = new MessageRow(MessageRow.newId(), m.mailbox(), m.caller(),
                ServerName.fromConfigName("message server", m.server()), m.port(), m.receivedAtMs(), m.durationMs(),
                false);
        writer.submit(row, m.wav());
        LOG.info("message {} for mailbox {} from {} ({} ms) kept for the database", row.id(), row.mailbox(),
                row.caller(), row.durationMs());
    }

    @Override
    public void markHeard(String messageId) {
        reading("mark message " + messageId + " heard", () -> database.messages().markHeard(messageId), false);
    }

    @Override
    public void delete(String messageId) {
        reading("delete message " + messageId, () -> database.messages().delete(messageId), false);
    }

    static MessageSummary summary(MessageRow r) {
        return new MessageSummary(r.id(), r.mailbox(), r.caller(), r.server().configName(), r.port(), r.receivedAtMs(),
                r.durationMs(), r.heard());
    }

    private static <T> T reading(String what, Supplier<T> read, T otherwise) {
        try {
            return read.get();
        } catch (DatabaseException e) {
            LOG.warn("cannot {}: {}", what, e.getMessage());
            return otherwise;
        }
    }
}
