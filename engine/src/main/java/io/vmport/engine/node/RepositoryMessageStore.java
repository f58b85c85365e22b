package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MessageRow;
import io.vmport.engine.conversation.Mailbox;
import io.vmport.engine.conversation.MessageStore;
import io.vmport.engine.conversation.MessageSummary;
import io.vmport.engine.conversation.NewMessage;
import java.util.List;
import java.util.Optional;

/**
 * INTERIM: the message store straight over the database's repositories (MS-1), without the disk spool of MS-2; to
 * be replaced by the voice branch's {@code DatabaseMessageStore} when it lands.
 */
final class RepositoryMessageStore implements MessageStore {
    private final Database database;

    RepositoryMessageStore(Database database) {
        this.database = database;
    }

    @Override
    public Optional<Mailbox> mailbox(String extension) {
        return database.mailboxes().find(extension).map(r -> new Mailbox(r.extension(), r.name(), r.hasGreeting()));
    }

    @Override
    public Optional<byte[]> greeting(String extension) {
        return database.mailboxes().greeting(extension);
    }

    @Override
    public List<MessageSummary> messages(String extension) {
        return database.messages().forMailbox(extension).stream().map(m -> new MessageSummary(m.id(), m.mailbox(),
                m.caller(), m.server().configName(), m.port(), m.receivedAtMs(), m.durationMs(), m.heard())).toList();
    }

    @Override
    public Optional<byte[]> audio(String messageId) {
        return database.messages().audio(messageId);
    }

    @Override
    public void store(NewMessage m) {
        database.messages().insert(new MessageRow(MessageRow.newId(), m.mailbox(), m.caller(),
                ServerName.fromConfigName("server", m.server()), m.port(), m.receivedAtMs(), m.durationMs(), false),
                m.wav());
    }

    @Override
    public void markHeard(String messageId) {
        database.messages().markHeard(messageId);
    }

    @Override
    public void delete(String messageId) {
        database.messages().delete(messageId);
    }
}
