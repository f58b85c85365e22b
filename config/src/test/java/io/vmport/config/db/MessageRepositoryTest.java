package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages in the shared database (SPEC MS-1), stored once however often written (MS-2), on the real MariaDB. */
class MessageRepositoryTest {
    private Database db;

    @BeforeEach
    void open() {
        db = TestDatabase.openFresh();
        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1_000);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static MessageRow message(String id, long receivedAtMs) {
        return new MessageRow(id, "1001", "2000", PUBLISHER, "sip-3", receivedAtMs, 4_500, false);
    }

    @Test
    void ms1_aMessageKeepsEveryFieldAndItsAudio() {
        MessageRow m = new MessageRow(MessageRow.newId(), "1001", "+49 30 1234", SUBSCRIBER, "sccp-7", 1_700_000_000_123L,
                61_250, false);
        byte[] audio = new byte[4_800_044];  // 300 s of 16-bit PCM at 8 kHz: the longest message by default
        audio[0] = 'R';
        audio[audio.length - 1] = 9;
        for (int i = 1; i < 1024; i++) { // every byte value, quotes, backslash and NUL among them, stored as it is
            audio[i] = (byte) i;
        }

        db.messages().insert(m, audio);

        assertEquals(Optional.of(m), db.messages().find(m.id()));
        assertArrayEquals(audio, db.messages().audio(m.id()).orElseThrow());
        assertEquals(Optional.empty(), db.messages().audio("unknown"));
    }

    @Test
    void ms1_aMailboxsMessagesAreListedNewestFirst() {
        db.mailboxes().create(MailboxRow.of("1002", "Mailbox 1002"), 1_000);
        db.messages().insert(message("old", 1_000), new byte[1]);
        db.messages().insert(message("new", 3_000), new byte[1]);
        db.messages().insert(message("mid", 2_000), new byte[1]);
        db.messages().insert(new MessageRow("other", "1002", null, PUBLISHER, "sip-1", 9_000, 1_000, false), new byte[1]);

        assertEquals(List.of("new", "mid", "old"), db.messages().forMailbox("1001").stream().map(MessageRow::id).toList());
        assertEquals(List.of(), db.messages().forMailbox("1009"));
    }

    @Test
    void ms2_aMessageWrittenAgainIsStoredOnce() {
        MessageRow m = message(MessageRow.newId(), 1_000);
        db.messages().insert(m, new byte[] {1, 2, 3});
        db.messages().insert(m, new byte[] {1, 2, 3});
        db.messages().markHeard(m.id());
        db.messages().insert(m, new byte[] {1, 2, 3});  // a late retry does not undo "heard"

        assertEquals(1, db.messages().count());
        assertTrue(db.messages().find(m.id()).orElseThrow().heard());
    }

    @Test
    void ms3_aMessageIsMarkedHeardAndDeleted() {
        db.messages().insert(message("a", 1_000), new byte[1]);
        assertTrue(db.messages().markHeard("a"));
        assertTrue(db.messages().forMailbox("1001").get(0).heard());
        assertTrue(db.messages().delete("a"));
        assertFalse(db.messages().delete("a"));
        assertFalse(db.messages().markHeard("a"));
        assertEquals(0, db.messages().count());
    }

    @Test
    void ms1_idsAreUniqueAndBadRowsAreRefusedNamingTheValue() {
        assertNotEquals(MessageRow.newId(), MessageRow.newId());
        assertEquals(36, MessageRow.newId().length());
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class, () -> message("a/b", 1));
        assertTrue(id.getMessage().contains("a/b"), id.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new MessageRow("x", "1001", null, PUBLISHER, "p", 1, -1, false));
        assertThrows(IllegalArgumentException.class,
                () -> new MessageRow("x", "no", null, PUBLISHER, "p", 1, 1, false));
    }
}
