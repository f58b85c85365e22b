package io.vmport.engine.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.EmbeddedDatabase;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MS-2: a message recorded while the database is unreachable is kept on the node's disk and stored when the
 * database is back, also after the node restarts meanwhile; none lost, none stored twice. The outage is the
 * embedded MariaDB stopped and started again on the same data and port.
 */
class MessageWriterTest {
    private static final long STORE_TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    private static MessageRow row(int n) {
        return new MessageRow(MessageRow.newId(), "1001", "200" + n, ServerName.PUBLISHER, "sip-" + n,
                1_700_000_000_000L + n, 1_000 + n, false);
    }

    private static byte[] audio(int n) {
        byte[] a = new byte[8_044 + n];
        a[0] = 'R';
        a[a.length - 1] = (byte) n;
        return a;
    }

    @Test
    void ms2_messagesRecordedWhileTheDatabaseIsStoppedAreStoredOnceItIsBack() throws Exception {
        int port = LoopbackPorts.freeTcp();
        Path data = dir.resolve("db");
        EmbeddedDatabase embedded = EmbeddedDatabase.start(data, port);
        MessageSpool spool = new MessageSpool(dir.resolve("spool"));
        try (Database db = Database.open(embedded.settings())) {
            db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
            MessageWriter writer = new MessageWriter(db, spool, "test-message-writer");
            writer.start();
            try {
                List<MessageRow> rows = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    rows.add(row(i));
                    writer.submit(rows.get(i), audio(i));
                }
                Poll.await("3 messages stored", STORE_TIMEOUT_MS, () -> count(db) == 3, writer::toString);

                embedded.close();  // the outage
                for (int i = 3; i < 8; i++) {
                    rows.add(row(i));
                    writer.submit(rows.get(i), audio(i));
                }
                Poll.await("the writer sees the outage", STORE_TIMEOUT_MS, writer::outage, writer::toString);
                assertEquals(5, spool.size(), "every message of the outage is on disk");

                embedded = EmbeddedDatabase.start(data, port);
                writer.retryNow();
                Poll.await("all 8 messages stored", STORE_TIMEOUT_MS, () -> writer.unstored() == 0 && !writer.outage(),
                        writer::toString);
                assertStoredOnce(db, rows);
                assertArrayEquals(audio(6), db.messages().audio(rows.get(6).id()).orElseThrow());
            } finally {
                writer.close(5_000);
            }
        } finally {
            embedded.close();
        }
    }

    @Test
    void ms2_aNodeRestartedDuringTheOutageStoresWhatItsSpoolKeeps() throws Exception {
        int port = LoopbackPorts.freeTcp();
        Path data = dir.resolve("db");
        EmbeddedDatabase embedded = EmbeddedDatabase.start(data, port);
        try (Database db = Database.open(embedded.settings())) {
            db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
            embedded.close();  // the outage
            List<MessageRow> rows = new ArrayList<>();
            MessageWriter before = new MessageWriter(db, new MessageSpool(dir.resolve("spool")), "test-writer-1");
            before.start();
            for (int i = 0; i < 4; i++) {
                rows.add(row(i));
                before.submit(rows.get(i), audio(i));
            }
            Poll.await("the writer sees the outage", STORE_TIMEOUT_MS, before::outage, before::toString);
            before.close(5_000);  // the node stops
            assertEquals(4, new MessageSpool(dir.resolve("spool")).size(), "kept on disk");

            embedded = EmbeddedDatabase.start(data, port);
            MessageWriter after = new MessageWriter(db, new MessageSpool(dir.resolve("spool")), "test-writer-2");
            after.start();  // the node starts again
            try {
                Poll.await("the spool is stored", STORE_TIMEOUT_MS, () -> after.unstored() == 0, after::toString);
                assertStoredOnce(db, rows);
                assertEquals(4, after.written());
            } finally {
                after.close(5_000);
            }
        } finally {
            embedded.close();
        }
    }

    /**
     * A node that stored a message and stopped before removing its file writes it again at start: stored once.
     * A write cut short ({@code .tmp}) is dropped; a file that cannot be read is set aside, not retried forever.
     */
    @Test
    void ms2_aSpoolLeftByAnEarlierRunIsStoredAtStartOnceEach() throws Exception {
        try (Database db = TestDatabase.openFresh()) {
            db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
            Path spoolDir = dir.resolve("spool");
            MessageSpool earlier = new MessageSpool(spoolDir);
            List<MessageRow> rows = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rows.add(row(i));
                earlier.write(new SpooledMessage(rows.get(i), audio(i)));
            }
            db.messages().insert(rows.get(2), audio(2));  // stored, then the node stopped before removing the file
            Files.write(spoolDir.resolve("cut-short.tmp"), new byte[] {1, 2});
            Files.write(spoolDir.resolve("broken.msg"), new byte[] {'x'});

            MessageWriter writer = new MessageWriter(db, new MessageSpool(spoolDir), "test-message-writer");
            writer.start();
            try {
                Poll.await("the spool is stored", STORE_TIMEOUT_MS, () -> writer.unstored() == 0, writer::toString);
                assertStoredOnce(db, rows);
                assertFalse(Files.exists(spoolDir.resolve("cut-short.tmp")));
                assertTrue(Files.exists(spoolDir.resolve("broken.msg.bad")), "set aside for the operator");
            } finally {
                writer.close(5_000);
            }
        }
    }

    /** A message the database keeps refusing stays in the spool and does not hold back the others. */
    @Test
    void ms2_aRefusedMessageWaitsInTheSpoolWhileTheOthersAreStored() throws Exception {
        try (Database db = TestDatabase.openFresh()) {
            db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
            sql(db, "CREATE TRIGGER refuse_poison BEFORE INSERT ON message FOR EACH ROW BEGIN"
                    + " IF NEW.id = 'poison' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END");
            MessageWriter writer = new MessageWriter(db, new MessageSpool(dir), "test-message-writer");
            writer.start();
            try {
                MessageRow poison = new MessageRow("poison", "1001", null, ServerName.PUBLISHER, "sip-1", 1, 1_000,
                        false);
                writer.submit(poison, audio(0));
                List<MessageRow> rows = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    rows.add(row(i));
                    writer.submit(rows.get(i - 1), audio(i));
                }
                Poll.await("the 3 others stored", STORE_TIMEOUT_MS, () -> count(db) == 3, writer::toString);
                assertStoredOnce(db, rows);
                assertEquals(1, writer.unstored(), "the refused one is kept");

                sql(db, "DROP TRIGGER refuse_poison");
                writer.retryNow();
                Poll.await("the refused one stored", STORE_TIMEOUT_MS, () -> writer.unstored() == 0, writer::toString);
                rows.add(poison);
                assertStoredOnce(db, rows);
            } finally {
                writer.close(5_000);
            }
        }
    }

    private static void sql(Database db, String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void ms2_aSpoolFileKeepsEveryField() throws Exception {
        MessageRow withoutCaller = new MessageRow("id-1", "1001", null, ServerName.SUBSCRIBER, "sccp-2", 5, 6, true);
        SpooledMessage m = new SpooledMessage(withoutCaller, audio(3));
        SpooledMessage back = MessageSpool.decode(MessageSpool.encode(m), dir);
        assertEquals(withoutCaller, back.row());
        assertArrayEquals(m.audio(), back.audio());
    }

    private static void assertStoredOnce(Database db, List<MessageRow> rows) throws Exception {
        assertEquals(rows.size(), count(db));
        for (MessageRow r : rows) {
            assertEquals(r, db.messages().find(r.id()).orElseThrow(), "message " + r.id());
        }
    }

    private static long count(Database db) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT id), COUNT(*) FROM message")) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2));
            return rs.getLong(2);
        } catch (java.sql.SQLException e) {
            return -1;  // the database is down: not stored yet
        }
    }
}
