package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.TestDatabase;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The demo creates mailboxes 1001 to 1010 when the database has none (DESIGN section 4, MS-3). */
class DemoMailboxesTest {

    @Test
    void ms3_theDemoCreatesMailboxes1001To1010Once() {
        try (Database db = TestDatabase.openFresh()) {
            DemoCluster.createDemoMailboxes(db);
            DemoCluster.createDemoMailboxes(db);  // a second start
            List<MailboxRow> expected = IntStream.rangeClosed(1001, 1010)
                    .mapToObj(e -> MailboxRow.of("" + e, "Mailbox " + e)).toList();
            assertEquals(expected, db.mailboxes().all());
        }
    }

    @Test
    void ms3_aDatabaseWithMailboxesKeepsItsOwn() {
        try (Database db = TestDatabase.openFresh()) {
            db.mailboxes().create(MailboxRow.of("200", "Reception"), 1);
            DemoCluster.createDemoMailboxes(db);
            assertEquals(List.of(MailboxRow.of("200", "Reception")), db.mailboxes().all());
        }
    }
}
