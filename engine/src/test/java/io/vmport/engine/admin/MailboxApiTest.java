package io.vmport.engine.admin;

import static io.vmport.engine.admin.AdminTestNode.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.engine.conversation.Wav;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read side of mailboxes and messages (SPEC MS-1, MS-3) over HTTP, on the real database. */
class MailboxApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Database db;
    private AdminTestNode node;

    @BeforeEach
    void start() {
        db = TestDatabase.openFresh();
        db.mailboxes().create(MailboxRow.of("1002", "Mailbox 1002"), 1);
        db.mailboxes().create(MailboxRow.of("1001", "Anna"), 1);
        db.mailboxes().setGreeting("1001", Wav.encode(new short[80], 80));
        node = AdminTestNode.start(2, MessageQueries.of(db));
    }

    @AfterEach
    void stop() {
        node.close();
        db.close();
    }

    @Test
    void ms3_mailboxesAreListedByExtension() throws Exception {
        HttpResponse<String> r = node.get("/api/mailboxes");
        assertStatus(200, r);
        JsonNode boxes = JSON.readTree(r.body()).path("mailboxes");
        assertEquals(2, boxes.size());
        assertEquals("1001", boxes.get(0).path("extension").asText());
        assertEquals("Anna", boxes.get(0).path("name").asText());
        assertTrue(boxes.get(0).path("hasGreeting").asBoolean());
        assertEquals("1002", boxes.get(1).path("extension").asText());
    }

    @Test
    void ms1_aMailboxsMessagesAreListedNewestFirstWithEveryField() throws Exception {
        db.messages().insert(new MessageRow("old", "1001", "2000", ServerName.PUBLISHER, "sip-1", 1_000, 1_500, true),
                new byte[1]);
        db.messages().insert(new MessageRow("new", "1001", null, ServerName.SUBSCRIBER, "sip-5", 1_700_000_000_000L,
                2_250, false), new byte[1]);

        HttpResponse<String> r = node.get("/api/mailboxes/1001/messages");
        assertStatus(200, r);
        JsonNode messages = JSON.readTree(r.body()).path("messages");
        assertEquals(2, messages.size());
        JsonNode newest = messages.get(0);
        assertEquals("new", newest.path("id").asText());
        assertEquals("1001", newest.path("mailbox").asText());
        assertTrue(newest.path("caller").isNull());
        assertEquals("subscriber", newest.path("server").asText());
        assertEquals("sip-5", newest.path("port").asText());
        assertEquals("2023-11-14T22:13:20Z", newest.path("receivedAt").asText());
        assertEquals(2_250, newest.path("durationMs").asLong());
        assertEquals(false, newest.path("heard").asBoolean());
        assertEquals("old", messages.get(1).path("id").asText());
        assertEquals(true, messages.get(1).path("heard").asBoolean());

        assertEquals(0, JSON.readTree(node.get("/api/mailboxes/1002/messages").body()).path("messages").size());
    }

    @Test
    void ms1_aMessagesAudioIsDownloadedAsWav() throws Exception {
        byte[] wav = Wav.encode(new short[] {1, -2, 300, -400}, 4);
        db.messages().insert(new MessageRow("m-1", "1001", "2000", ServerName.PUBLISHER, "sip-1", 1, 1_000, false), wav);

        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.url() + "/api/messages/m-1/audio")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + AdminTestNode.TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, r.statusCode());
        assertEquals("audio/wav", r.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(wav, r.body());
        assertArrayEquals(new short[] {1, -2, 300, -400}, Wav.decode(r.body()), "8 kHz mono WAV");
    }

    @Test
    void ms3_unknownMailboxesAndMessagesAre404AndBadRequestsRefused() {
        HttpResponse<String> noBox = node.get("/api/mailboxes/1009/messages");
        assertStatus(404, noBox);
        assertTrue(noBox.body().contains("1009"), noBox.body());
        assertStatus(404, node.get("/api/mailboxes/abc/messages"));
        HttpResponse<String> noMessage = node.get("/api/messages/nope/audio");
        assertStatus(404, noMessage);
        assertTrue(noMessage.body().contains("nope"), noMessage.body());
        assertStatus(400, node.get("/api/mailboxes?limit=3"));
        assertStatus(405, node.post("/api/mailboxes/1001/messages"));
        assertStatus(401, node.send("GET", "/api/mailboxes", null));
    }
}
