package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mailbox counts for MWI (SPEC MW-1, MW-3) and deleting a mailbox with its messages (MS-3), on the real MariaDB.
 */
class MailboxCountsTest {
    private Database db;

    @BeforeEach
    void open() {
        db = TestDatabase.openFresh();
        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
        db.mailboxes().create(MailboxRow.of("1002", "Mailbox 1002"), 1);
        db.mailboxes().create(MailboxRow.of("1003", "Mailbox 1003"), 1);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void message(String id, String mailbox, boolean heard) {
        db.messages().insert(new MessageRow(id, mailbox, "2000", PUBLISHER, "sip-1", 1_000, 1_000, heard), new byte[1]);
    }

    @Test
    void mw1_aMailboxsCountsSplitNewFromOld() {
        message("a", "1001", false);
        message("b", "1001", false);
        message("c", "1001", true);
        message("d", "1002", true);

        assertEquals(new MailboxCountsRow("1001", 2, 1), db.messages().counts("1001"));
        assertEquals(new MailboxCountsRow("1002", 0, 1), db.messages().counts("1002"));
        assertEquals(new MailboxCountsRow("1003", 0, 0), db.messages().counts("1003"));
    }

    @Test
    void mw3_everyMailboxsCountsInOneQueryIncludingEmptyOnesAndNoOrphans() {
        message("a", "1001", false);
        message("b", "1002", true);
        message("c", "1002", false);
        message("orphan", "4444", false);  // spooled for a mailbox deleted meanwhile

        assertEquals(List.of(new MailboxCountsRow("1001", 1, 0), new MailboxCountsRow("1002", 1, 1),
                new MailboxCountsRow("1003", 0, 0)), db.messages().countsByMailbox());
    }

    @Test
    void ms3_aMailboxWithMessagesIsDeletedOnlyWhenForcedAndSaysHowMany() {
        message("a", "1001", false);
        message("b", "1001", true);
        message("c", "1001", false);
        message("other", "1002", false);

        assertEquals(new MailboxDeletion(MailboxDeletion.Outcome.HAS_MESSAGES, 3), db.mailboxes().delete("1001", false));
        assertEquals(3, db.messages().forMailbox("1001").size(), "nothing deleted without force");
        assertEquals(new MailboxDeletion(MailboxDeletion.Outcome.DELETED, 3), db.mailboxes().delete("1001", true));
        assertEquals(0, db.messages().forMailbox("1001").size());
        assertEquals(1, db.messages().forMailbox("1002").size(), "another mailbox's message stays");
        assertEquals(new MailboxDeletion(MailboxDeletion.Outcome.NO_MAILBOX, 0), db.mailboxes().delete("1001", true));
        assertEquals(new MailboxDeletion(MailboxDeletion.Outcome.DELETED, 0), db.mailboxes().delete("1003", false));
        assertEquals(new MailboxDeletion(MailboxDeletion.Outcome.NO_MAILBOX, 0), db.mailboxes().delete("x1", true));
    }
}
