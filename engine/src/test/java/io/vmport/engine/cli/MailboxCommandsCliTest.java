package io.vmport.engine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.engine.admin.AdminTestNode;
import io.vmport.engine.admin.MessageQueries;
import io.vmport.engine.conversation.Wav;
import io.vmport.engine.messages.MailboxCountsNotifier;
import io.vmport.engine.messages.Mailboxes;
import io.vmport.engine.messages.TestWavs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC MS-3 on the command line (DESIGN section 4): {@code mailbox add|delete}, {@code greeting},
 * {@code message play|heard|delete} against the real database, with their exit statuses: 0 done, 1 refused
 * (exists, has messages without --force), 2 bad usage, unknown id, refused file or unreachable.
 */
class MailboxCommandsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private Database db;
    private AdminTestNode node;

    @BeforeEach
    void start() {
        db = TestDatabase.openFresh();
        node = AdminTestNode.start(2, MessageQueries.of(db), new Mailboxes(db, new MailboxCountsNotifier(db)), () -> 0);
    }

    @AfterEach
    void stop() {
        node.close();
        db.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run vmport(String... args) {
        return vmportAt(node.url(), args);
    }

    private Run vmportAt(String url, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = url;
        all[args.length + 2] = "--token";
        all[args.length + 3] = AdminTestNode.TOKEN;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = VmportMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(exit, out.toString(), err.toString());
    }

    private void message(String id, String mailbox, byte[] wav) {
        db.messages().insert(new MessageRow(id, mailbox, "2000", ServerName.PUBLISHER, "sip-1", 1_000, 1_000, false),
                wav);
    }

    @Test
    void ms3_mailboxAddCreatesOnceThenExits1() throws Exception {
        Run added = vmport("mailbox", "add", "1001", "--name", "Anna Smith");
        assertEquals(ExitCodes.OK, added.exit(), added.err());
        assertEquals("mailbox 1001 created: Anna Smith", added.out().strip());
        assertEquals("Anna Smith", db.mailboxes().find("1001").orElseThrow().name());

        Run again = vmport("mailbox", "add", "1001");
        assertEquals(ExitCodes.REFUSED, again.exit(), again.out());
        assertTrue(again.err().contains("mailbox 1001 already exists"), again.err());

        Run json = vmport("mailbox", "add", "1002", "--json");
        assertEquals(ExitCodes.OK, json.exit(), json.err());
        assertEquals("Mailbox 1002", JSON.readTree(json.out()).path("name").asText());

        Run bad = vmport("mailbox", "add", "10a1");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad.out());
        assertTrue(bad.err().contains("extension must be 1 to 15 digits, was '10a1'"), bad.err());
    }

    @Test
    void ms3_mailboxDeleteWithMessagesSaysHowManyAndNeedsForce() {
        db.mailboxes().create(MailboxRow.of("1001", "Anna"), 1);
        message("a", "1001", new byte[1]);
        message("b", "1001", new byte[1]);

        Run refused = vmport("mailbox", "delete", "1001");
        assertEquals(ExitCodes.REFUSED, refused.exit(), refused.out());
        assertTrue(refused.err().contains("mailbox 1001 has 2 messages") && refused.err().contains("--force"),
                refused.err());
        assertTrue(db.mailboxes().find("1001").isPresent());

        Run forced = vmport("mailbox", "delete", "1001", "--force");
        assertEquals(ExitCodes.OK, forced.exit(), forced.err());
        assertEquals("mailbox 1001 deleted with its 2 messages", forced.out().strip());
        assertTrue(db.mailboxes().find("1001").isEmpty());

        Run unknown = vmport("mailbox", "delete", "1001");
        assertEquals(ExitCodes.USAGE, unknown.exit());
        assertTrue(unknown.err().contains("no such mailbox: 1001"), unknown.err());
        assertEquals(ExitCodes.USAGE, vmport("mailbox").exit(), "a group without a subcommand is bad usage");
    }

    @Test
    void ms3_greetingUploadsAWavAndExits2WithTheReasonForAWrongOne() throws Exception {
        db.mailboxes().create(MailboxRow.of("1001", "Anna"), 1);
        Path good = Files.write(dir.resolve("good.wav"), TestWavs.pcm(8_000, 1, 1.0, AudioFileFormat.Type.WAVE));
        Path stereo = Files.write(dir.resolve("stereo.wav"), TestWavs.pcm(8_000, 2, 1.0, AudioFileFormat.Type.WAVE));

        Run set = vmport("greeting", "1001", good.toString());
        assertEquals(ExitCodes.OK, set.exit(), set.err());
        assertTrue(db.mailboxes().find("1001").orElseThrow().hasGreeting());

        Run wrong = vmport("greeting", "1001", stereo.toString());
        assertEquals(ExitCodes.USAGE, wrong.exit(), wrong.out());
        assertTrue(wrong.err().contains("the greeting has 2 channels; it must be mono"), wrong.err());

        Run missing = vmport("greeting", "1001", dir.resolve("none.wav").toString());
        assertEquals(ExitCodes.USAGE, missing.exit());
        assertTrue(missing.err().contains("none.wav"), missing.err());
        assertEquals(ExitCodes.USAGE, vmport("greeting", "1001").exit(), "neither file nor --delete");
        assertEquals(ExitCodes.USAGE, vmport("greeting", "1001", good.toString(), "--delete").exit(), "both");

        Run removed = vmport("greeting", "1001", "--delete");
        assertEquals(ExitCodes.OK, removed.exit(), removed.err());
        assertTrue(db.mailboxes().greeting("1001").isEmpty());
    }

    @Test
    void ms3_messagePlayHeardDeleteAndTheirUnknownIds() throws Exception {
        db.mailboxes().create(MailboxRow.of("1001", "Anna"), 1);
        byte[] wav = Wav.encode(new short[] {5, -5, 700}, 3);
        message("m-1", "1001", wav);
        Path out = dir.resolve("m-1.wav");

        Run play = vmport("message", "play", "m-1", "--out", out.toString());
        assertEquals(ExitCodes.OK, play.exit(), play.err());
        assertArrayEquals(wav, Files.readAllBytes(out));

        Run heard = vmport("message", "heard", "m-1");
        assertEquals(ExitCodes.OK, heard.exit(), heard.err());
        assertEquals("message m-1 of mailbox 1001 marked heard", heard.out().strip());
        assertTrue(db.messages().find("m-1").orElseThrow().heard());

        Run deleted = vmport("message", "delete", "m-1");
        assertEquals(ExitCodes.OK, deleted.exit(), deleted.err());
        assertTrue(db.messages().find("m-1").isEmpty());

        for (String[] args : new String[][] {{"message", "play", "m-1", "--out", out.toString()},
                {"message", "heard", "m-1"}, {"message", "delete", "m-1"}}) {
            Run r = vmport(args);
            assertEquals(ExitCodes.USAGE, r.exit(), String.join(" ", args));
            assertTrue(r.err().contains("no such message: m-1"), r.err());
        }
        assertEquals(ExitCodes.USAGE, vmport("message", "play", "m-1").exit(), "--out is required");
        Run unreachable = vmportAt("http://127.0.0.1:1", "message", "heard", "m-1");
        assertEquals(ExitCodes.USAGE, unreachable.exit());
        assertTrue(unreachable.err().contains("cannot reach"), unreachable.err());
    }
}
