package io.vmport.engine.admin;

import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Mailboxes and messages as the admin API reads them (SPEC MS-1, MS-3). May block on the database. */
public interface MessageQueries {
    /** A backend without a message store: no mailbox, no message. */
    MessageQueries NONE = new MessageQueries() {
        @Override
        public List<MailboxRow> mailboxes() {
            return List.of();
        }

        @Override
        public Optional<List<MessageRow>> messages(String extension) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> audio(String messageId) {
            return Optional.empty();
        }
    };

    /** Every mailbox, by extension. */
    List<MailboxRow> mailboxes();

    /** The mailbox's messages newest first, or empty when there is no such mailbox. */
    Optional<List<MessageRow>> messages(String extension);

    /** A message's audio (an 8 kHz mono WAV file), or empty when there is no such message. */
    Optional<byte[]> audio(String messageId);

    /** The database's repositories. */
    static MessageQueries of(Database database) {
        Objects.requireNonNull(database, "database");
        return new MessageQueries() {
            @Override
            public List<MailboxRow> mailboxes() {
                return database.mailboxes().all();
            }

            @Override
            public Optional<List<MessageRow>> messages(String extension) {
                return database.mailboxes().find(extension).map(m -> database.messages().forMailbox(extension));
            }

            @Override
            public Optional<byte[]> audio(String messageId) {
                return database.messages().audio(messageId);
            }
        };
    }
}
