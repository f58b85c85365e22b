package io.vmport.engine.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxCountsRow;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.Poll;
import io.vmport.engine.conversation.NewMessage;
import io.vmport.engine.conversation.Wav;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MWI hook (SPEC MW-1): a message stored by the writer, heard or deleted by the owner's phone conversation,
 * tells the listener the mailbox's counts read after the change; every mailbox's counts for MW-3. Real database.
 */
class MailboxCountsHookTest {
    @TempDir
    Path dir;
    private final List<String> told = new CopyOnWriteArrayList<>();
    private Database db;
    private MessageWriter writer;
    private DatabaseMessageStore store;
    private MailboxCountsNotifier counts;

    @BeforeEach
    void start() {
        db = TestDatabase.openFresh();
        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
        db.mailboxes().create(MailboxRow.of("1002", "Mailbox 1002"), 1);
        counts = new MailboxCountsNotifier(db);
        counts.listen((extension, newCount, oldCount) -> told.add(extension + " " + newCount + "/" + oldCount));
        writer = new MessageWriter(db, new MessageSpool(dir), "test-message-writer", counts);
        writer.start();
        store = new DatabaseMessageStore(db, writer, new Mailboxes(db, counts));
    }

    @AfterEach
    void stop() {
        writer.close();
        db.close();
    }

    @Test
    void mw1_aStoredMessageThenHeardThenDeletedByPhoneTellsTheCountsEachTime() {
        db.messages().insert(new MessageRow("old", "1001", "2000", ServerName.PUBLISHER, "sip-1", 1, 1_000, true),
                new byte[1]);
        store.store(new NewMessage("1001", "3000", "publisher", "sip-2", 2_000, 1_500, Wav.encode(new short[8], 8)));
        Poll.await("the stored message told", 20_000, () -> told.size() == 1, told::toString);
        assertEquals(List.of("1001 1/1"), told);

        String id = db.messages().forMailbox("1001").get(0).id();
        store.markHeard(id);
        assertEquals(List.of("1001 1/1", "1001 0/2"), told);
        store.delete(id);
        store.delete("old");
        assertEquals(List.of("1001 1/1", "1001 0/2", "1001 0/1", "1001 0/0"), told);
        store.delete("old");
        assertEquals(4, told.size(), "a message already gone tells nothing");
    }

    @Test
    void mw1_aListenerThatFailsDoesNotUndoTheChange() {
        db.messages().insert(new MessageRow("m", "1002", "2000", ServerName.PUBLISHER, "sip-1", 1, 1_000, false),
                new byte[1]);
        counts.listen((extension, newCount, oldCount) -> {
            throw new IllegalStateException("listener down");
        });
        store.markHeard("m");
        assertTrue(db.messages().find("m").orElseThrow().heard());
    }

    @Test
    void mw3_everyMailboxsCountsForANewPrimary() {
        db.messages().insert(new MessageRow("m", "1002", "2000", ServerName.PUBLISHER, "sip-1", 1, 1_000, false),
                new byte[1]);
        List<List<MailboxCountsRow>> read = new java.util.ArrayList<>();
        counts.readAll(read::add);
        assertEquals(List.of(List.of(new MailboxCountsRow("1001", 0, 0), new MailboxCountsRow("1002", 1, 0))), read);
        List<MailboxCountsRow> one = new java.util.ArrayList<>();
        counts.read("1002", one::add);
        assertEquals(List.of(new MailboxCountsRow("1002", 1, 0)), one, "one mailbox re-read (a change on the peer)");
    }
}
