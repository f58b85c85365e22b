package io.vmport.engine.admin;

import static io.vmport.engine.admin.AdminTestNode.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.engine.conversation.Wav;
import io.vmport.engine.messages.MailboxCountsNotifier;
import io.vmport.engine.messages.Mailboxes;
import io.vmport.engine.messages.TestWavs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC MS-3, the write side over HTTP on the real database: create and delete mailboxes (409 exists, 404 unknown,
 * ?force for one with messages), upload a greeting (refused with the reason), mark heard, delete messages; and the
 * counts told to the MWI hook after each change (MW-1).
 */
class MailboxChangesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final AtomicLong stored = new AtomicLong();
    private Database db;
    private AdminTestNode node;

    @BeforeEach
    void start() {
        db = TestDatabase.openFresh();
        db.mailboxes().create(MailboxRow.of("1001", "Anna"), 1);
        MailboxCountsNotifier counts = new MailboxCountsNotifier(db);
        counts.listen((extension, newCount, oldCount) -> told.add(extension + " " + newCount + "/" + oldCount));
        node = AdminTestNode.start(2, MessageQueries.of(db), new Mailboxes(db, counts), stored::get);
    }

    @AfterEach
    void stop() {
        node.close();
        db.close();
    }

    private HttpResponse<String> send(String method, String path, String body) {
        return node.send(method, path, AdminTestNode.TOKEN, body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, byte[] body) {
        return node.send(method, path, AdminTestNode.TOKEN, body);
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").asText();
    }

    private void message(String id, boolean heard) {
        db.messages().insert(new MessageRow(id, "1001", "2000", ServerName.PUBLISHER, "sip-1", 1_000, 1_000, heard),
                Wav.encode(new short[8], 8));
    }

    @Test
    void ms3_aMailboxIsCreatedOnceAnd409AfterwardsWithTheDefaultName() throws Exception {
        HttpResponse<String> r = send("POST", "/api/mailboxes", "{\"extension\":\"1002\",\"name\":\"Ben\"}");
        assertStatus(201, r);
        JsonNode m = JSON.readTree(r.body());
        assertEquals("1002", m.path("extension").asText());
        assertEquals("Ben", m.path("name").asText());
        assertFalse(m.path("hasGreeting").asBoolean());
        assertEquals("Ben", db.mailboxes().find("1002").orElseThrow().name());

        HttpResponse<String> again = send("POST", "/api/mailboxes", "{\"extension\":\"1002\",\"name\":\"Other\"}");
        assertStatus(409, again);
        assertEquals("mailbox 1002 already exists", error(again));
        assertEquals("Ben", db.mailboxes().find("1002").orElseThrow().name(), "the first one stays");

        assertStatus(201, send("POST", "/api/mailboxes", "{\"extension\":\"123456789012345\"}"));
        assertEquals("Mailbox 123456789012345", db.mailboxes().find("123456789012345").orElseThrow().name());
        assertEquals(3, JSON.readTree(node.get("/api/mailboxes").body()).path("mailboxes").size());
    }

    @Test
    void ms3_aBadExtensionNameOrBodyIs400WithTheReason() throws Exception {
        assertEquals("extension must be 1 to 15 digits, was '12a4'",
                error(badRequest("{\"extension\":\"12a4\",\"name\":\"x\"}")));
        assertEquals("extension must be 1 to 15 digits, was '1234567890123456'",
                error(badRequest("{\"extension\":\"1234567890123456\"}")));
        assertEquals("extension must be 1 to 15 digits, was ''", error(badRequest("{\"extension\":\"\"}")));
        assertTrue(error(badRequest("{\"extension\":\"1003\",\"name\":\"  \"}")).startsWith("name must be 1 to 128"));
        assertTrue(error(badRequest("{\"extension\":\"1003\",\"name\":\"" + "n".repeat(129) + "\"}"))
                .startsWith("name must be 1 to 128"));
        assertEquals("extension must be a JSON string, was 1003", error(badRequest("{\"extension\":1003}")));
        assertEquals("unknown field greeting; allowed: extension, name",
                error(badRequest("{\"extension\":\"1003\",\"greeting\":\"x\"}")));
        assertTrue(error(badRequest("{\"name\":\"x\"}")).startsWith("the body has no extension"));
        assertTrue(error(badRequest("not json")).startsWith("the body must be JSON"));
        assertTrue(error(badRequest("")).contains("empty"));
        assertEquals(1, db.mailboxes().all().size(), "nothing created");
    }

    private HttpResponse<String> badRequest(String body) {
        HttpResponse<String> r = send("POST", "/api/mailboxes", body);
        assertStatus(400, r);
        return r;
    }

    @Test
    void ms3_aMailboxWithMessagesIsDeletedOnlyWithForceAndTheAnswerSaysHowMany() throws Exception {
        message("a", false);
        message("b", false);
        message("c", true);

        HttpResponse<String> refused = node.send("DELETE", "/api/mailboxes/1001", AdminTestNode.TOKEN);
        assertStatus(409, refused);
        assertEquals("mailbox 1001 has 3 messages; add ?force=true to delete them too", error(refused));
        assertEquals(3, JSON.readTree(refused.body()).path("messages").asInt());
        assertTrue(db.mailboxes().find("1001").isPresent());
        assertEquals(3, db.messages().forMailbox("1001").size(), "nothing deleted");
        assertEquals(List.of(), told, "nothing changed, nothing told");

        HttpResponse<String> forced = node.send("DELETE", "/api/mailboxes/1001?force=true", AdminTestNode.TOKEN);
        assertStatus(200, forced);
        assertEquals(3, JSON.readTree(forced.body()).path("messagesDeleted").asInt());
        assertTrue(db.mailboxes().find("1001").isEmpty());
        assertEquals(0, db.messages().forMailbox("1001").size());
        assertEquals(List.of("1001 0/0"), told, "MW-1: the deleted mailbox's lamp goes off");

        assertStatus(404, node.send("DELETE", "/api/mailboxes/1001", AdminTestNode.TOKEN));
        assertStatus(400, node.send("DELETE", "/api/mailboxes/1001?force=maybe", AdminTestNode.TOKEN));
        db.mailboxes().create(MailboxRow.of("1005", "Empty"), 1);
        HttpResponse<String> empty = node.send("DELETE", "/api/mailboxes/1005", AdminTestNode.TOKEN);
        assertStatus(200, empty);
        assertEquals(0, JSON.readTree(empty.body()).path("messagesDeleted").asInt());
    }

    @Test
    void ms3_messagesAreMarkedHeardAndDeletedAndMwiLearnsTheCounts() throws Exception {
        message("a", false);
        message("b", false);
        message("c", true);

        HttpResponse<String> heard = node.post("/api/messages/a/heard");
        assertStatus(200, heard);
        assertTrue(JSON.readTree(heard.body()).path("message").path("heard").asBoolean());
        assertTrue(db.messages().find("a").orElseThrow().heard());
        assertEquals(List.of("1001 1/2"), told);

        assertStatus(200, node.post("/api/messages/a/heard"));
        assertEquals(List.of("1001 1/2"), told, "heard again: no change, nothing told");

        HttpResponse<String> deleted = node.send("DELETE", "/api/messages/b", AdminTestNode.TOKEN);
        assertStatus(200, deleted);
        assertEquals("1001", JSON.readTree(deleted.body()).path("mailbox").asText());
        assertTrue(db.messages().find("b").isEmpty());
        assertEquals(List.of("1001 1/2", "1001 0/2"), told);

        HttpResponse<String> noMessage = node.post("/api/messages/b/heard");
        assertStatus(404, noMessage);
        assertEquals("no such message: b", error(noMessage));
        assertStatus(404, node.send("DELETE", "/api/messages/b", AdminTestNode.TOKEN));
        assertEquals(2, told.size(), "a refused change tells nothing");
    }

    @Test
    void ms3_aGreetingIn16BitPcmMuLawOrALawIsStoredAs8kHzPcmAndCanBeRemoved() throws Exception {
        byte[] pcm = TestWavs.pcm(8_000, 1, 2.0, AudioFileFormat.Type.WAVE);
        HttpResponse<String> r = send("PUT", "/api/mailboxes/1001/greeting", pcm);
        assertStatus(200, r);
        assertArrayEquals(Wav.decode(pcm), Wav.decode(db.mailboxes().greeting("1001").orElseThrow()));
        assertTrue(JSON.readTree(node.get("/api/mailboxes").body()).path("mailboxes").get(0).path("hasGreeting")
                .asBoolean());

        for (AudioFormat.Encoding g711 : List.of(AudioFormat.Encoding.ULAW, AudioFormat.Encoding.ALAW)) {
            byte[] wav = TestWavs.g711(g711, 1.0);
            assertStatus(200, send("PUT", "/api/mailboxes/1001/greeting", wav));
            byte[] kept = db.mailboxes().greeting("1001").orElseThrow();
            assertEquals(8_000, Wav.decode(kept).length, g711 + ": 1 s at 8 kHz");
            assertArrayEquals(Wav.decode(wav), Wav.decode(kept), g711 + " decoded as the store decodes it");
            assertTrue(javax.sound.sampled.AudioSystem.getAudioFileFormat(new java.io.ByteArrayInputStream(kept))
                    .getFormat().matches(Wav.LINEAR), g711 + " stored as 16-bit PCM");
        }

        assertStatus(200, node.send("DELETE", "/api/mailboxes/1001/greeting", AdminTestNode.TOKEN));
        assertTrue(db.mailboxes().greeting("1001").isEmpty(), "back to the system greeting");
    }

    @Test
    void ms3_aGreetingThatIsNot8kHzMonoWavOrTooLongIs400WithTheReason() throws Exception {
        assertEquals("the greeting is sampled at 16000 Hz; it must be 8000 Hz",
                refusedGreeting(TestWavs.pcm(16_000, 1, 1.0, AudioFileFormat.Type.WAVE)));
        assertEquals("the greeting has 2 channels; it must be mono (1 channel)",
                refusedGreeting(TestWavs.pcm(8_000, 2, 1.0, AudioFileFormat.Type.WAVE)));
        assertEquals("the greeting is 121.0 s long; the limit is 120 s",
                refusedGreeting(TestWavs.pcm(8_000, 1, 121.0, AudioFileFormat.Type.WAVE)));
        assertEquals("the greeting is not a WAV file (13 bytes)",
                refusedGreeting("hello, world!".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("the greeting is a AIFF file, not WAV",
                refusedGreeting(TestWavs.pcm(8_000, 1, 1.0, AudioFileFormat.Type.AIFF)));
        assertTrue(db.mailboxes().greeting("1001").isEmpty(), "nothing stored");

        HttpResponse<String> noMailbox = send("PUT", "/api/mailboxes/1009/greeting",
                TestWavs.pcm(8_000, 1, 1.0, AudioFileFormat.Type.WAVE));
        assertStatus(404, noMailbox);
        assertEquals("no such mailbox: 1009", error(noMailbox));
        assertStatus(404, node.send("DELETE", "/api/mailboxes/1009/greeting", AdminTestNode.TOKEN));
    }

    private String refusedGreeting(byte[] file) throws Exception {
        HttpResponse<String> r = send("PUT", "/api/mailboxes/1001/greeting", file);
        assertStatus(400, r);
        return error(r);
    }

    @Test
    void ms3_everyChangeNeedsTheTokenAndTheRightMethod() {
        assertStatus(401, node.send("POST", "/api/mailboxes", null, "{\"extension\":\"1002\"}".getBytes()));
        assertStatus(401, node.send("DELETE", "/api/mailboxes/1001", null));
        assertStatus(401, node.send("PUT", "/api/mailboxes/1001/greeting", null, new byte[] {1}));
        assertStatus(401, node.send("DELETE", "/api/mailboxes/1001/greeting", null));
        assertStatus(401, node.send("POST", "/api/messages/a/heard", null));
        assertStatus(401, node.send("DELETE", "/api/messages/a", null));
        assertTrue(db.mailboxes().find("1001").isPresent());
        assertTrue(db.mailboxes().find("1002").isEmpty());

        HttpResponse<String> get = node.get("/api/messages/a/heard");
        assertStatus(405, get);
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        assertStatus(405, node.get("/api/mailboxes/1001"));
        assertStatus(405, node.post("/api/mailboxes/1001/greeting"));
        assertStatus(405, node.send("PUT", "/api/messages/a", AdminTestNode.TOKEN));
    }

    @Test
    void ms3_metricsCountMessagesStoredAndMailboxes() {
        stored.set(7);
        db.mailboxes().create(MailboxRow.of("1002", "Ben"), 1);
        AdminTestNode.await(() -> node.get("/metrics").body().contains("vmport_mailboxes 2.0"),
                () -> node.get("/metrics").body());
        assertTrue(node.get("/metrics").body().contains("vmport_messages_stored_total 7.0"));

        assertStatus(201, send("POST", "/api/mailboxes", "{\"extension\":\"1003\"}"));
        AdminTestNode.await(() -> node.get("/metrics").body().contains("vmport_mailboxes 3.0"),
                () -> node.get("/metrics").body());  // the test clock stands still: counted again for the change
    }
}
