package io.vmport.loadtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.conversation.Wav;
import io.vmport.engine.media.MediaCounters;
import io.vmport.engine.pipeline.PortSnapshot;
import io.vmport.engine.voice.VoiceCall;
import io.vmport.loadtest.media.LoopbackCapture;
import io.vmport.loadtest.media.RtpPcap;
import io.vmport.loadtest.media.RtpStream;
import io.vmport.loadtest.media.SoxStat;
import io.vmport.loadtest.sipp.SippRun;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Voice on the ports end to end (issue 13, SPEC section 7): SIPp plays the PBX and the caller, tshark captures on
 * loopback what vmport sends, sox measures it, the message store and the port monitor are read back. Skipped
 * without sipp, tshark or sox; failed without them under CI=true.
 */
class VoiceSippTest {
    private static final int PORTS = 4;
    private static final String MAILBOX = "1001";
    /** A-law's encoding of 0: the comfort silence vmport sends while nothing plays. */
    private static final byte ALAW_SILENCE = (byte) 0xD5;
    /** g711a.pcap: 7.08 s of speech (56,640 A-law samples), the message SIPp leaves; RTP from UDP port 5000. */
    private static final double SENT_SECONDS = 7.08;
    private static final String SENT_PCAP = "/usr/share/sip-tester/g711a.pcap";
    private static final int SENT_PCAP_PORT = 5000;
    /** How long SIPp waits for the greeting and the beep beyond their length, before it speaks. */
    private static final int MARGIN_MS = 700;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long MEDIA_TIMEOUT_SECONDS = 2;

    /** Captures, SIPp logs and audio stay here after the run, for a look when a test fails. */
    private Path work;
    private SippCluster cluster;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        work = Files.createDirectories(Path.of("target", "voice", test.getTestMethod().orElseThrow().getName())
                .toAbsolutePath());
        SippCluster.requireSippOrSkip();
        for (String tool : List.of("tshark", "sox")) {
            SippCluster.requireToolOrSkip(tool);
        }
        ClusterSettings fast = SippCluster.fastSettings();
        // MD-5: a short media timeout for the test that waits for it; the SPEC's 30 s for the others
        long mediaTimeoutSeconds = test.getTags().contains("mediaTimeout") ? MEDIA_TIMEOUT_SECONDS
                : fast.mediaTimeoutSeconds();
        cluster = SippCluster.start(Integration.SIP_TRUNK, PORTS, new ClusterSettings(fast.autoFailover(),
                fast.autoFailback(), fast.failbackHoldDownMs(), fast.deactivateOnBacklog(),
                fast.replicationBacklogLimit(), fast.absorbPeerPortsOnFailover(), fast.huntOrder(),
                fast.heartbeatIntervalMs(), fast.localHeartbeatTimeoutMs(), fast.remoteHeartbeatTimeoutMs(),
                fast.heartbeatTrace(), fast.networkCheck(), fast.maxMessageSeconds(), fast.silenceSeconds(),
                fast.minMessageSeconds(), mediaTimeoutSeconds));
        cluster.database.mailboxes().create(MailboxRow.of(MAILBOX, "Mailbox " + MAILBOX), System.currentTimeMillis());
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The proof, MD-1 to MD-4, MD-6 and MS-1: a call forwarded from 1001 (no answer) offering PCMA and
     * telephone-event gets its own RTP port of the publisher's range (MD-1; the scenario checks PCMA and 101 in the
     * answer); it hears 1001's system greeting and the beep as 20 ms frames, mean interval 20 ms, no gap over 40 ms
     * (MD-2), non-silent, as long as the greeting plus the beep; the port monitor shows GREETING then RECORDING for
     * mailbox 1001 (MD-6); SIPp speaks 7.08 s (g711a.pcap) and presses # (MD-4); vmport says goodbye and hangs up;
     * the message is in mailbox 1001 with a duration within 1 s of what was sent and its audio is that long and not
     * silence (MS-1); the session is closed and /metrics counts the media.
     */
    @Test
    void md1_md2_md3_md4_md6_ms1_forwardedCallHearsTheGreetingAndLeavesAMessage() throws Exception {
        double greetingMs = greetingAndBeepMs(MAILBOX);
        int[] range = cluster.rtpPorts(ServerName.PUBLISHER);
        Set<String> conversations = ConcurrentHashMap.newKeySet();
        SippRun.Result result;
        try (LoopbackCapture capture = LoopbackCapture.start(work.resolve("voice.pcap"), range[0], range[1])) {
            result = whileWatchingTheMonitor(voiceCall("voice-message.xml", (int) greetingMs + MARGIN_MS),
                    conversations);
        }
        assertTrue(result.allSucceeded(), result.toString());
        assertTrue(conversations.contains("GREETING " + MAILBOX), conversations.toString());
        assertTrue(conversations.contains("RECORDING " + MAILBOX), conversations.toString());

        List<Integer> ports = RtpStream.sourcePorts(work.resolve("voice.pcap"), range[0], range[1]);
        assertEquals(1, ports.size(), "one call, one RTP port of " + range[0] + "-" + range[1] + ": " + ports);
        RtpStream stream = RtpStream.read(work.resolve("voice.pcap"), ports.get(0));
        RtpStream greeting = stream.firstSounding(ALAW_SILENCE, 50);
        SoxStat heard = SoxStat.ofG711(greeting.writePayload(work.resolve("greeting.al")), true);
        JsonNode message = awaitMessages(1).get(0);
        Path audio = Files.write(work.resolve("message.wav"), get(ServerName.PUBLISHER, "/api/messages/"
                + message.get("id").asText() + "/audio"));
        SoxStat recorded = SoxStat.of(audio);
        SoxStat sent = SoxStat.ofG711(RtpStream.read(Path.of(SENT_PCAP), SENT_PCAP_PORT)
                .writePayload(work.resolve("sent.al")), true);
        MediaCounters counters = cluster.publisher.voice().counters();
        Poll.await("the call's media session closed", 5_000, () -> counters.sessionsOpen() == 0,
                () -> counters.asMap().toString());
        String metrics = new String(get(ServerName.PUBLISHER, "/metrics"), StandardCharsets.UTF_8);
        assertAll("stream " + stream + ", greeting " + greeting + " " + heard + ", " + message + " " + recorded,
                () -> assertEquals(20.0, stream.meanIntervalMs(), 0.5, "MD-2: 20 ms frames"),
                () -> assertTrue(stream.maxIntervalMs() <= 40, "MD-2: no gap over 40 ms (load average "
                        + Files.readString(Path.of("/proc/loadavg")).trim() + " on " + Runtime.getRuntime()
                        .availableProcessors() + " cores)"),
                () -> assertTrue(stream.packets().stream().allMatch(p -> p.payloadType() == 8), "PCMA as offered"),
                () -> assertEquals(greetingMs, greeting.audioMs(), 100, "MD-3: as long as the greeting and beep"),
                () -> assertFalse(heard.silent(), "MD-3: the greeting is speech"),
                () -> assertEquals(SENT_SECONDS * 1000, message.get("durationMs").asLong(), 1000,
                        "MS-1: the duration sent"),
                () -> assertEquals("2002", message.get("caller").asText(), "MS-1: who called"),
                () -> assertEquals("publisher", message.get("server").asText(), "MS-1: the server that took it"),
                () -> assertFalse(message.get("heard").asBoolean(), "MS-1: not heard yet"),
                () -> assertEquals(SENT_SECONDS, recorded.lengthSeconds(), 1.0, "MS-1: the audio is as long"),
                () -> assertFalse(recorded.silent(), "MS-1: the audio is not silence"),
                () -> assertEquals(sent.rmsAmplitude(), recorded.rmsAmplitude(), 0.1 * sent.rmsAmplitude(),
                        "MS-1: the audio is the speech sent: " + sent),
                () -> assertEquals(0, metric(metrics, "vmport_media_sessions_open"), "MD-1: the session closed"),
                () -> assertTrue(metric(metrics, "vmport_media_packets_out_total") >= stream.packets().size(),
                        "/metrics counts the frames sent"),
                () -> assertEquals(1, metric(metrics, "vmport_media_dtmf_digits_total"), "MD-4: # taken once"));
    }

    /** MD-4: the caller hangs up 4 s into the message, without #: the message is kept, about 4 s long. */
    @Test
    void md4_ms1_hangUpWhileRecordedKeepsTheMessage() throws Exception {
        SippRun.Result result = voiceCall("voice-hangup-recording.xml", (int) greetingAndBeepMs(MAILBOX) + MARGIN_MS)
                .run(work);

        assertTrue(result.allSucceeded(), result.toString());
        JsonNode message = awaitMessages(1).get(0);
        assertEquals(4_000, message.get("durationMs").asLong(), 1_000, message.toString());
        assertCallGone();
    }

    /**
     * MD-1: datagrams to a call's RTP port from anywhere but the caller's address (garbage and a well-formed RTP
     * packet alike) are dropped and counted in /metrics, and the call goes on: the message is stored.
     */
    @Test
    void md1_datagramsFromAStrangerAreDroppedCountedAndTheCallGoesOn() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Future<SippRun.Result> call = background.submit(() -> voiceCall("voice-hangup-recording.xml",
                    (int) greetingAndBeepMs(MAILBOX) + MARGIN_MS).run(work));
            Poll.await("the call has its media session", 10_000, () -> sessionPort() > 0 || call.isDone(),
                    () -> cluster.publisher.voice().counters().asMap().toString());
            InetSocketAddress port = new InetSocketAddress(InetAddress.getLoopbackAddress(), sessionPort());
            byte[] garbage = "not RTP at all".getBytes(StandardCharsets.US_ASCII);
            byte[] rtp = {(byte) 0x80, 8, 0, 1, 0, 0, 0, (byte) 160, 1, 2, 3, 4, (byte) 0xD5, (byte) 0xD5};
            stranger.send(new DatagramPacket(garbage, garbage.length, port));
            stranger.send(new DatagramPacket(rtp, rtp.length, port));
            SippRun.Result result = call.get();

            assertTrue(result.allSucceeded(), result.toString());
        } finally {
            background.shutdownNow();
        }
        assertEquals(1, awaitMessages(1).size());
        String metrics = new String(get(ServerName.PUBLISHER, "/metrics"), StandardCharsets.UTF_8);
        assertEquals(2, metric(metrics, "vmport_media_packets_wrong_source_total"), metrics);
        assertCallGone();
    }

    /**
     * MD-1: 1 s of RTP with a payload type the answer did not name (G.729, 18) and 5 datagrams that are not RTP,
     * from the caller's own port, are dropped and counted in /metrics, and the call goes on: the speech after them
     * is the message.
     */
    @Test
    void md1_rtpOfAPayloadTypeNotNegotiatedAndGarbageAreDroppedAndTheCallGoesOn() throws Exception {
        RtpPcap.write(work.resolve("wrong-payload.pcap"), 18, 50, 20);
        RtpPcap.writeGarbage(work.resolve("garbage.pcap"), 5, "garbage, not RTP".getBytes(StandardCharsets.US_ASCII));

        SippRun.Result result = voiceCall("voice-wrong-payload.xml", (int) greetingAndBeepMs(MAILBOX) + MARGIN_MS)
                .run(work);

        assertTrue(result.allSucceeded(), result.toString());
        String metrics = new String(get(ServerName.PUBLISHER, "/metrics"), StandardCharsets.UTF_8);
        assertEquals(50, metric(metrics, "vmport_media_packets_wrong_payload_type_total"), metrics);
        assertEquals(5, metric(metrics, "vmport_media_packets_garbage_total"), metrics);
        JsonNode message = awaitMessages(1).get(0);
        assertEquals(SENT_SECONDS * 1000, message.get("durationMs").asLong(), 1000, message.toString());
        assertCallGone();
    }

    /** The RTP port of the publisher's call in progress, 0 when none has one. */
    private int sessionPort() {
        for (int i = 0; i < cluster.publisher.portPlan().size(); i++) {
            VoiceCall call = cluster.publisher.voice().call(i);
            if (call != null) {
                return call.localPort();
            }
        }
        return 0;
    }

    /** MD-1, MD-4: the caller hangs up during the greeting: no message; the port and its session are free. */
    @Test
    void md1_md4_hangUpDuringTheGreetingLeavesNoMessage() throws Exception {
        SippRun.Result result = voiceCall("voice-hangup-greeting.xml", 2_000).run(work);

        assertTrue(result.allSucceeded(), result.toString());
        assertCallGone();
        assertEquals(List.of(), messages(), "no message");
        long sent = cluster.publisher.voice().counters().packetsOut();
        assertTrue(sent > 0 && sent < greetingAndBeepMs(MAILBOX) / 20, "the greeting started and was cut short: "
                + sent + " frames");
    }

    /** MD-1: a CANCEL that races the answer (either outcome is right for the PBX) leaves no session open. */
    @Test
    void md1_cancelledCallLeavesNoSessionOpen() throws Exception {
        SippRun.Result result = cluster.sipp(ServerName.PUBLISHER, "cancel-before-answer.xml").service("5000")
                .calls(10).rate(10).timeoutSeconds(60).extra("-mp", Integer.toString(LoopbackPorts.freeUdpAndTcp()))
                .run(work);

        assertTrue(result.allSucceeded(), result.toString());
        assertCallGone();
    }

    /** MD-1, BI-1: an offer with no codec vmport speaks (G.729 only) is refused 488; no session is opened. */
    @Test
    void md1_offerWithoutG711Is488() throws Exception {
        SippRun.Result result = voiceCall("no-codec-488.xml", 0).run(work);

        assertTrue(result.allSucceeded(), result.toString());
        assertEquals(0, cluster.publisher.voice().counters().packetsOut(),
                cluster.publisher.voice().counters().asMap().toString());
        assertCallGone();
    }

    /**
     * MD-5: a caller that sends no RTP at all is hung up with BYE after the media timeout (2 s here), long before
     * the greeting ends; the port and its session are free.
     */
    @Test
    @Tag("mediaTimeout")
    void md5_callerSendingNoRtpGetsByeAfterTheMediaTimeout() throws Exception {
        SippRun.Result result = voiceCall("voice-media-timeout.xml", 0).run(work);

        assertTrue(result.allSucceeded(), "SIPp got vmport's BYE: " + result);
        assertTrue(result.wallSeconds() < greetingAndBeepMs(MAILBOX) / 1000, "BYE after the 2 s timeout, during"
                + " the greeting, not after it: " + result.wallSeconds() + " s");
        assertEquals(1, cluster.publisher.voice().counters().mediaTimeouts());
        assertCallGone();
        assertEquals(List.of(), messages(), "no recording had started");
    }

    /** Mailbox 1001's messages as {@code GET /api/mailboxes/1001/messages} lists them, newest first (MS-1). */
    private List<JsonNode> messages() {
        try {
            List<JsonNode> list = new ArrayList<>();
            JSON.readTree(get(ServerName.PUBLISHER, "/api/mailboxes/" + MAILBOX + "/messages")).path("messages")
                    .forEach(list::add);
            return list;
        } catch (Exception e) {
            throw new AssertionError("GET /api/mailboxes/" + MAILBOX + "/messages failed", e);
        }
    }

    /** Waits for mailbox 1001 to hold {@code count} messages: the spool writes them a moment after the call (MS-2). */
    private List<JsonNode> awaitMessages(int count) {
        Poll.await(count + " message(s) in mailbox " + MAILBOX, 10_000, () -> messages().size() >= count,
                () -> messages().toString());
        List<JsonNode> list = messages();
        assertEquals(count, list.size(), list.toString());
        return list;
    }

    /**
     * MD-3, MD-4, MD-6: the owner calls from 1001 with one new message waiting; the monitor shows MAILBOX for 1001;
     * 7 (RFC 4733, its end packet three times: one digit) deletes the message; goodbye and BYE.
     */
    @Test
    void md3_md4_md6_ownerPresses7AndTheMessageIsDeleted() throws Exception {
        String id = leaveMessage();
        Set<String> conversations = ConcurrentHashMap.newKeySet();

        SippRun.Result result = whileWatchingTheMonitor(voiceCall("owner-delete.xml", 1_500), conversations);

        assertTrue(result.allSucceeded(), result.toString());
        assertTrue(conversations.contains("MAILBOX " + MAILBOX), conversations.toString());
        assertEquals(List.of(), messages(), "message " + id + " deleted");
        assertEquals(1, cluster.publisher.voice().counters().digits(), "MD-4: one digit");
        assertCallGone();
    }

    /** MD-3: the owner presses 9: the message is saved (heard), still there. */
    @Test
    void md3_ownerPresses9AndTheMessageIsSaved() throws Exception {
        String id = leaveMessage();

        SippRun.Result result = voiceCall("owner-save.xml", 1_500).run(work);

        assertTrue(result.allSucceeded(), result.toString());
        List<JsonNode> kept = messages();
        assertEquals(1, kept.size(), kept.toString());
        assertEquals(id, kept.get(0).get("id").asText());
        assertTrue(kept.get(0).get("heard").asBoolean(), "saved: heard " + kept);
        assertCallGone();
    }

    /** A one-second message in mailbox 1001, stored as the recording node would; its id. */
    private String leaveMessage() {
        String id = MessageRow.newId();
        cluster.database.messages().insert(new MessageRow(id, MAILBOX, "2002", ServerName.SUBSCRIBER, "sub-sip-001",
                System.currentTimeMillis(), 1_000, false), Wav.encode(new short[8_000], 8_000));
        return id;
    }

    /** Runs {@code sipp} while collecting the conversations the publisher's monitor shows (MD-6). */
    private SippRun.Result whileWatchingTheMonitor(SippRun sipp, Set<String> conversations) throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<SippRun.Result> call = background.submit(() -> sipp.run(work));
            // the snapshot is read every 20 ms; the API once for each state it has not shown yet
            Poll.await("the call ends", 60_000, () -> {
                List<String> now = conversationsInTheSnapshot();
                if (!conversations.containsAll(now)) {
                    conversations.addAll(conversationsInTheApi());
                }
                return call.isDone();
            }, conversations::toString);
            return call.get();
        } finally {
            background.shutdownNow();
        }
    }

    /**
     * MD-1, CA-5: the subscriber is deactivated with force while a call on it hears the greeting: the call is
     * dropped with BYE and its media session closed.
     */
    @Test
    void md1_ca5_deactivationDropsTheCallAndClosesItsSession() throws Exception {
        MediaCounters counters = cluster.subscriber.voice().counters();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<SippRun.Result> call = background.submit(() -> voiceCall(ServerName.SUBSCRIBER,
                    "voice-media-timeout.xml", 0).run(work));
            Poll.await("the call has its media session", 10_000, () -> counters.sessionsOpen() == 1 || call.isDone(),
                    () -> counters.asMap().toString());
            ActionResult r = cluster.publisher.perform(AdminAction.DEACTIVATE, ServerName.SUBSCRIBER, true)
                    .get(10, TimeUnit.SECONDS);
            assertTrue(r.ok(), r.toString());
            SippRun.Result result = call.get(30, TimeUnit.SECONDS);

            assertTrue(result.allSucceeded(), "SIPp got the BYE: " + result);
            assertEquals(0, counters.mediaTimeouts(), "dropped, not timed out");
        } finally {
            background.shutdownNow();
        }
        Poll.await("the session closed", 10_000, () -> counters.sessionsOpen() == 0, () -> counters.asMap().toString());
    }

    /** The call is over everywhere: the publisher's ports idle, its media sessions closed (MD-1). */
    private void assertCallGone() {
        cluster.awaitAllIdle(10_000);
        MediaCounters counters = cluster.publisher.voice().counters();
        Poll.await("every media session closed", 10_000, () -> counters.sessionsOpen() == 0,
                () -> counters.asMap().toString());
    }

    /** The length of what a forwarded call hears before recording: "the person at extension", the digits, the beep. */
    private static double greetingAndBeepMs(String extension) {
        return Greetings.greetingAndBeepMs(extension);
    }

    /** "STATE MAILBOX" of every busy port with a conversation, in the publisher's monitor snapshot (MD-6). */
    private List<String> conversationsInTheSnapshot() {
        List<String> shown = new ArrayList<>();
        for (PortSnapshot p : cluster.publisher.monitorSnapshot().ports()) {
            if (p.conversation() != null) {
                shown.add(p.conversation() + " " + p.mailbox());
            }
        }
        return shown;
    }

    /** "STATE MAILBOX" of every port with a conversation, as {@code GET /api/ports} shows it (MD-6). */
    private List<String> conversationsInTheApi() {
        JsonNode body;
        try {
            body = JSON.readTree(get(ServerName.PUBLISHER, "/api/ports"));
        } catch (Exception e) {
            throw new AssertionError("GET /api/ports failed", e);
        }
        List<String> shown = new ArrayList<>();
        for (JsonNode p : body.path("ports")) {
            if (p.hasNonNull("conversation")) {
                shown.add(p.get("conversation").asText() + " " + p.path("mailbox").asText());
            }
        }
        return shown;
    }

    /** A SIPp run of a voice scenario against the publisher: its own media port, {@code -d} as the first pause. */
    private SippRun voiceCall(String scenario, int firstPauseMs) throws Exception {
        return voiceCall(ServerName.PUBLISHER, scenario, firstPauseMs);
    }

    private SippRun voiceCall(ServerName server, String scenario, int firstPauseMs) throws Exception {
        return cluster.sipp(server, scenario).service("5000").holdMs(firstPauseMs)
                .timeoutSeconds(60).extra("-mp", Integer.toString(LoopbackPorts.freeUdpAndTcp()));
    }

    /** The body of an authorised GET to {@code server}'s admin API. */
    private byte[] get(ServerName server, String path) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://"
                + SippCluster.HOST + ":" + cluster.node(server).config().admin().port() + path))
                .header("Authorization", "Bearer " + SippCluster.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    /** A sample's value in Prometheus text. */
    private static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(name.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError(
                "no " + name + " in " + text));
    }
}
