package io.vmport.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.media.MediaCounters;
import io.vmport.loadtest.media.LoopbackCapture;
import io.vmport.loadtest.media.RtpStream;
import io.vmport.loadtest.media.SoxStat;
import io.vmport.loadtest.sipp.SippRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Voice on the ports end to end (issue 13, SPEC section 7): SIPp plays the PBX and the caller, tshark captures on
 * loopback what vmport sends, sox measures it. Skipped without sipp, tshark or sox; failed without them under
 * CI=true.
 */
class VoiceSippTest {
    private static final int PORTS = 4;
    /** A-law's encoding of 0: the comfort silence vmport sends between prompts. */
    private static final byte ALAW_SILENCE = (byte) 0xD5;

    /** Captures, SIPp logs and audio stay here after the run, for a look when a test fails. */
    private Path work;
    private SippCluster cluster;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        work = Files.createDirectories(Path.of("target", "voice", test.getTestMethod().orElseThrow().getName()).toAbsolutePath());
        SippCluster.requireSippOrSkip();
        for (String tool : List.of("tshark", "sox")) {
            SippCluster.requireToolOrSkip(tool);
        }
        cluster = SippCluster.start(Integration.SIP_TRUNK, PORTS);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * MD-1, MD-2: the answered call gets its own port of the publisher's range, named in the SDP answer (the
     * scenario checks PCMA and telephone-event there); vmport sends it RTP every 20 ms, no gap over 40 ms; the
     * session closes with the call.
     */
    @Test
    void md1_md2_answeredCallHasItsOwnPortAndHearsA20MsStream() throws Exception {
        int[] range = cluster.rtpPorts(ServerName.PUBLISHER);
        SippRun.Result result;
        try (LoopbackCapture capture = LoopbackCapture.start(work.resolve("voice.pcap"), range[0], range[1])) {
            result = voiceCall("voice-message.xml", 1_000).run(work);
        }
        assertTrue(result.allSucceeded(), result.toString());
        List<Integer> ports = RtpStream.sourcePorts(work.resolve("voice.pcap"), range[0], range[1]);
        assertEquals(1, ports.size(), "one call, one RTP port of " + range[0] + "-" + range[1] + ": " + ports);
        RtpStream stream = RtpStream.read(work.resolve("voice.pcap"), ports.get(0));
        assertTrue(stream.packets().size() > 400, "about 10 s of 20 ms frames: " + stream);
        assertEquals(20.0, stream.meanIntervalMs(), 0.5, stream.toString());
        assertTrue(stream.maxIntervalMs() <= 40, stream.toString());
        assertTrue(stream.packets().stream().allMatch(p -> p.payloadType() == 8), "PCMA as offered");
        MediaCounters counters = cluster.publisher.voice().counters();
        Poll.await("the call's media session closed", 5_000, () -> counters.sessionsOpen() == 0,
                () -> counters.asMap().toString());
        assertTrue(counters.digits() >= 1, "the # was taken: " + counters.asMap());
        String metrics = new String(get(ServerName.PUBLISHER, "/metrics"), StandardCharsets.UTF_8);
        assertTrue(metrics.contains("vmport_media_sessions_open 0.0"), metrics);
        assertTrue(metric(metrics, "vmport_media_packets_out_total") >= stream.packets().size(), metrics);
        assertTrue(metric(metrics, "vmport_media_dtmf_digits_total") >= 1, metrics);
    }

    /** The body of an authorised GET to {@code server}'s admin API. */
    private byte[] get(ServerName server, String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
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

    /** A SIPp run of a voice scenario against the publisher: its own media port, {@code -d} as the first pause. */
    private SippRun voiceCall(String scenario, int firstPauseMs) throws Exception {
        return cluster.sipp(ServerName.PUBLISHER, scenario).service("5000").holdMs(firstPauseMs)
                .timeoutSeconds(60).extra("-mp", Integer.toString(LoopbackPorts.freeUdpAndTcp()));
    }
}
