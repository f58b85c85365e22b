package io.vmport.engine.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.Poll;
import io.vmport.engine.conversation.Mailbox;
import io.vmport.engine.conversation.MessageSummary;
import io.vmport.engine.conversation.NewMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conversation's message store on the real database (MS-1), going on through an outage (MS-2). */
class DatabaseMessageStoreTest {
    @TempDir
    Path dir;
    private Database db;
    private MessageWriter writer;
    private DatabaseMessageStore store;

    @BeforeEach
    void open() {
        db = TestDatabase.openFresh();
        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
        writer = new MessageWriter(db, new MessageSpool(dir), "test-message-writer");
        writer.start();
        store = new DatabaseMessageStore(db, writer);
    }

    @AfterEach
    void close() {
        writer.close(5_000);
        db.close();
    }

    @Test
    void ms1_aStoredMessageIsListedPlayedMarkedAndDeleted() {
        store.store(new NewMessage("1001", "2000", "subscriber", "sip-9", 1_700_000_000_000L, 2_500, new byte[] {1, 2}));
        Poll.await("stored", 20_000, () -> db.messages().count() == 1, writer::toString);

        List<MessageSummary> listed = store.messages("1001");
        assertEquals(1, listed.size());
        MessageSummary m = listed.get(0);
        assertEquals(new MessageSummary(m.id(), "1001", "2000", "subscriber", "sip-9", 1_700_000_000_000L, 2_500, false),
                m);
        assertArrayEquals(new byte[] {1, 2}, store.audio(m.id()).orElseThrow());
        store.markHeard(m.id());
        assertTrue(db.messages().find(m.id()).orElseThrow().heard());
        store.delete(m.id());
        assertEquals(Optional.empty(), store.audio(m.id()));
    }

    /** MS-2: with the database unreachable a forwarded call still finds its mailbox, so its message is kept. */
    @Test
    void ms2_mailboxesLastReadAreFoundWhileTheDatabaseIsUnreachable() throws Exception {
        assertEquals(Optional.of(new Mailbox("1001", "Mailbox 1001", false)), store.mailbox("1001"));
        sql("RENAME TABLE mailbox TO mailbox_away");
        try {
            assertEquals(Optional.of(new Mailbox("1001", "Mailbox 1001", false)), store.mailbox("1001"));
            assertEquals(Optional.empty(), store.mailbox("1002"));
            assertEquals(Optional.empty(), store.greeting("1001"), "the system greeting");
        } finally {
            sql("RENAME TABLE mailbox_away TO mailbox");
        }
        db.mailboxes().delete("1001");
        assertEquals(Optional.empty(), store.mailbox("1001"), "a deleted mailbox is forgotten");
    }

    @Test
    void ms1_messagesOfAnotherServerAreReadToo() {
        db.messages().insert(new MessageRow("m-1", "1001", null, ServerName.PUBLISHER, "sip-1", 5, 1_000, false),
                new byte[] {7});
        assertEquals("publisher", store.messages("1001").get(0).server());
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
