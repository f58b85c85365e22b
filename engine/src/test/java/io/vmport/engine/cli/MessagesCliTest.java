package io.vmport.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.engine.admin.AdminTestNode;
import io.vmport.engine.admin.MessageQueries;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code vmport mailboxes} and {@code vmport messages EXT} (DESIGN section 4, SPEC MS-3) against the real database. */
class MessagesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Database db;
    private AdminTestNode node;

    @BeforeEach
    void start() {
        db = TestDatabase.openFresh();
        node = AdminTestNode.start(2, MessageQueries.of(db));
    }

    @AfterEach
    void stop() {
        node.close();
        db.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run vmport(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = node.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = AdminTestNode.TOKEN;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = VmportMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void ms3_mailboxesPrintsATableOrJson() throws Exception {
        Run none = vmport("mailboxes");
        assertEquals(ExitCodes.OK, none.exit(), none.err());
        assertTrue(none.out().contains("(no mailbox)"), none.out());

        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
        Run table = vmport("mailboxes");
        assertTrue(table.out().contains("EXTENSION"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("1001") && l.contains("Mailbox 1001")
                && l.contains("system")), table.out());
        JsonNode json = JSON.readTree(vmport("mailboxes", "--json").out());
        assertEquals("1001", json.path("mailboxes").get(0).path("extension").asText());
    }

    @Test
    void ms1_messagesPrintsTheMailboxsMessagesNewestFirst() throws Exception {
        db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
        db.messages().insert(new MessageRow("older-id", "1001", "2000", ServerName.PUBLISHER, "sip-1", 1_000, 1_500,
                true), new byte[1]);
        db.messages().insert(new MessageRow("newer-id", "1001", "3000", ServerName.SUBSCRIBER, "sip-6", 2_000, 12_340,
                false), new byte[1]);

        Run table = vmport("messages", "1001");
        assertEquals(ExitCodes.OK, table.exit(), table.err());
        String out = table.out();
        assertTrue(out.indexOf("newer-id") < out.indexOf("older-id") && out.indexOf("newer-id") > 0, out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("newer-id") && l.contains("3000") && l.contains("12.3")
                && l.contains("no") && l.contains("subscriber") && l.contains("sip-6")), out);

        JsonNode json = JSON.readTree(vmport("messages", "1001", "--json").out());
        assertEquals("newer-id", json.path("messages").get(0).path("id").asText());
        assertEquals(12_340, json.path("messages").get(0).path("durationMs").asLong());
    }

    @Test
    void ms3_anUnknownMailboxExits2NamingIt() {
        Run r = vmport("messages", "1009");
        assertEquals(ExitCodes.USAGE, r.exit(), r.out());
        assertTrue(r.err().contains("1009"), r.err());
    }
}
