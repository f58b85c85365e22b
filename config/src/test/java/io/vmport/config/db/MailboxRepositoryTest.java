package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mailboxes and greetings in the shared database (SPEC MS-1, MS-3), on the real embedded MariaDB. */
class MailboxRepositoryTest {
    private Database db;

    @BeforeEach
    void open() {
        db = TestDatabase.openFresh();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void ms3_mailboxesAreCreatedOnceListedByExtensionAndDeleted() {
        assertTrue(db.mailboxes().create(MailboxRow.of("1002", "Mailbox 1002"), 1_000));
        assertTrue(db.mailboxes().create(MailboxRow.of("1001", "Anna ✓"), 1_000));
        assertFalse(db.mailboxes().create(MailboxRow.of("1001", "Someone else"), 2_000), "exists");

        assertEquals(List.of(MailboxRow.of("1001", "Anna ✓"), MailboxRow.of("1002", "Mailbox 1002")),
                db.mailboxes().all());
        assertEquals(Optional.of(MailboxRow.of("1002", "Mailbox 1002")), db.mailboxes().find("1002"));
        assertEquals(Optional.empty(), db.mailboxes().find("1003"));
        assertEquals(Optional.empty(), db.mailboxes().find("10' OR 1=1"));

        assertTrue(db.mailboxes().delete("1002"));
        assertFalse(db.mailboxes().delete("1002"));
        assertEquals(1, db.mailboxes().count());
    }

    @Test
    void ms1_aGreetingIsStoredReplacedAndRemoved() {
        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1_000);
        assertEquals(Optional.empty(), db.mailboxes().greeting("1001"));

        byte[] wav = new byte[70_000];
        wav[0] = 'R';
        wav[69_999] = 7;
        assertTrue(db.mailboxes().setGreeting("1001", wav));
        assertArrayEquals(wav, db.mailboxes().greeting("1001").orElseThrow());
        assertTrue(db.mailboxes().find("1001").orElseThrow().hasGreeting());

        assertTrue(db.mailboxes().setGreeting("1001", null));
        assertFalse(db.mailboxes().find("1001").orElseThrow().hasGreeting());
        assertFalse(db.mailboxes().setGreeting("1009", wav), "no such mailbox");
    }

    @Test
    void ms3_deletingAMailboxDeletesItsMessages() {
        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1_000);
        db.mailboxes().create(MailboxRow.of("1002", "Mailbox 1002"), 1_000);
        db.messages().insert(new MessageRow("a", "1001", "2000", ServerName.PUBLISHER, "sip-1", 1, 1_500, false),
                new byte[10]);
        db.messages().insert(new MessageRow("b", "1002", "2000", ServerName.PUBLISHER, "sip-1", 1, 1_500, false),
                new byte[10]);

        db.mailboxes().delete("1001");

        assertEquals(1, db.messages().count());
        assertEquals(List.of(), db.messages().forMailbox("1001"));
    }

    /** Two nodes starting together on an empty database create the demo mailboxes once. */
    @Test
    void ms3_createAllIfNoneCreatesOnceWhoeverRunsFirst() throws Exception {
        List<MailboxRow> ten = IntStream.rangeClosed(1001, 1010).mapToObj(e -> MailboxRow.of("" + e, "Mailbox " + e))
                .toList();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Callable<Boolean> create = () -> db.mailboxes().createAllIfNone(ten, 5_000);
            Future<Boolean> a = two.submit(create);
            Future<Boolean> b = two.submit(create);
            assertTrue(a.get() ^ b.get(), "exactly one created them");
        } finally {
            two.shutdownNow();
        }
        assertEquals(ten, db.mailboxes().all());
        assertFalse(db.mailboxes().createAllIfNone(List.of(MailboxRow.of("2000", "x")), 6_000));
    }

    @Test
    void ms3_badMailboxesAreRefusedNamingTheValue() {
        IllegalArgumentException ext = assertThrows(IllegalArgumentException.class, () -> MailboxRow.of("10a1", "x"));
        assertTrue(ext.getMessage().contains("10a1"), ext.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MailboxRow.of("", "x"));
        assertThrows(IllegalArgumentException.class, () -> MailboxRow.of("1".repeat(33), "x"));
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> MailboxRow.of("1001", " "));
        assertTrue(name.getMessage().contains("1001"), name.getMessage());
    }
}
