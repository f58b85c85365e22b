package io.vmport.loadtest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.db.MessageRow;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.media.Codec;
import io.vmport.engine.node.DemoCluster;
import io.vmport.engine.pipeline.PortSnapshot;
import io.vmport.engine.voice.VoiceCall;
import io.vmport.loadtest.media.LoopbackCapture;
import io.vmport.loadtest.media.RtpStream;
import io.vmport.loadtest.media.SoxStat;
import io.vmport.sccp.sim.CallOffer;
import io.vmport.sccp.sim.CallOutcome;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import io.vmport.sccp.sim.SimCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Voice on SCCP ports end to end (issue 13; SPEC MD-1, MD-2, MD-3, MS-1): {@code vmport demo --integration sccp} on
 * free ports, its phone-system simulator places a call forwarded from mailbox 1001 whose caller speaks a tone; the
 * port device that answers gets OpenReceiveChannel and StartMediaTransmission, vmport sends the greeting and the
 * beep as RTP (tshark captures and decodes it), records the caller until the simulator hangs up, and the message is
 * in mailbox 1001. Skipped without tshark or sox; failed without them under CI=true.
 */
class VoiceSccpTest {
    /** The demo's subscriber RTP range (its devices are first in the hunt list, SPEC section 3). */
    private static final int SUBSCRIBER_FIRST_RTP = 25_000;
    private static final int SUBSCRIBER_LAST_RTP = 29_999;
    /** How long the caller speaks after the greeting and the beep, then hangs up. */
    private static final long MESSAGE_MS = 4_000;
    private static final byte MU_LAW_SILENCE = (byte) 0xFF;
    private static final String MAILBOX = "1001";

    @TempDir
    Path data;

    @Test
    void md1_md2_md3_ms1_sccpCallForwardedFrom1001HearsTheGreetingOverRtpAndLeavesAMessage() throws Exception {
        // captures and audio stay here after the run, for a look when it fails
        Path work = Files.createDirectories(Path.of("target", "voice", "sccp").toAbsolutePath());
        for (String tool : List.of("tshark", "sox")) {
            SippCluster.requireToolOrSkip(tool);
        }
        DemoCluster.Layout layout = new DemoCluster.Layout(LoopbackPorts.freeUdpAndTcp(),
                LoopbackPorts.freeUdpAndTcp(), LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(),
                LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp());
        try (DemoCluster demo = DemoCluster.start(data, Integration.SCCP, 1, "t0ken", layout, 0)) {
            PhoneSystemSimulator sim = demo.phoneSystem().orElseThrow();
            Poll.await("both port devices registered", 20_000, () -> sim.registeredCount() == 2,
                    () -> sim.counts().toString());
            Path pcap = work.resolve("sccp-voice.pcap");
            CallOutcome outcome;
            Set<String> conversations = new LinkedHashSet<>();
            AtomicInteger sessionPort = new AtomicInteger();
            double greetingMs = Greetings.greetingAndBeepMs(MAILBOX);
            long holdMs = (long) greetingMs + MESSAGE_MS;
            try (LoopbackCapture capture = LoopbackCapture.start(pcap, SUBSCRIBER_FIRST_RTP, SUBSCRIBER_LAST_RTP)) {
                outcome = sim.offerCall(new CallOffer("5551234", "8000", MAILBOX, tone(), holdMs))
                        .get(10, TimeUnit.SECONDS);
                assertTrue(outcome.answered(), outcome.toString());
                Poll.await("the caller hung up after " + holdMs + " ms and a message is in mailbox " + MAILBOX,
                        holdMs + 15_000, () -> {
                            sessionPort.compareAndSet(0, sessionPort(demo));
                            for (PortSnapshot p : demo.subscriber().monitorSnapshot().ports()) {
                                if (p.conversation() != null) {
                                    conversations.add(p.conversation() + " " + p.mailbox());
                                }
                            }
                            return sim.callsInProgress() == 0 && !messages(demo).isEmpty();
                        }, () -> sim.counts() + " " + messages(demo) + " " + conversations);
            }
            SimCounts counts = sim.counts();
            List<MessageRow> messages = messages(demo);
            MessageRow message = messages.get(0);
            Path audio = Files.write(work.resolve("message.wav"),
                    demo.database().messages().audio(message.id()).orElseThrow());
            SoxStat recorded = SoxStat.of(audio);
            // by the session's own port: other tests' calls may use the rest of the range at the same time
            assertTrue(sessionPort.get() >= SUBSCRIBER_FIRST_RTP && sessionPort.get() <= SUBSCRIBER_LAST_RTP,
                    "MD-1: the call's own RTP port of the subscriber's range: " + sessionPort);
            RtpStream stream = RtpStream.read(pcap, sessionPort.get());
            RtpStream greeting = stream.firstSounding(MU_LAW_SILENCE, 50);
            SoxStat heard = SoxStat.ofG711(greeting.writePayload(work.resolve("greeting.ul")), false);
            assertAll("sim " + counts + ", stream " + stream + ", greeting " + greeting + " " + heard + ", "
                            + messages + " " + recorded,
                    () -> assertEquals("sub-sccp-001", outcome.deviceName(), "SPEC section 3: subscriber first"),
                    () -> assertEquals(List.of("GREETING " + MAILBOX, "RECORDING " + MAILBOX),
                            List.copyOf(conversations), "MD-6: the port monitor shows the conversation"),
                    () -> assertEquals(1, counts.mediaOpened(), "MD-1: OpenReceiveChannel acknowledged with a port"),
                    () -> assertEquals(0, counts.mediaRefused(), "MD-1: no refusal"),
                    () -> assertTrue(counts.rtpPacketsReceived() >= holdMs / 20 - 50, "MD-2: the simulator"
                            + " got vmport's frames for the whole call"),
                    () -> assertEquals(20.0, stream.meanIntervalMs(), 0.5, "MD-2: 20 ms frames"),
                    () -> assertTrue(stream.maxIntervalMs() <= 40, "MD-2: no gap over 40 ms (load average "
                            + Files.readString(Path.of("/proc/loadavg")).trim() + ")"),
                    () -> assertTrue(stream.packets().stream().allMatch(p -> p.payloadType() == 0),
                            "PCMU as StartMediaTransmission said"),
                    () -> assertEquals(greetingMs, greeting.audioMs(), 100, "MD-3: 1001's greeting and the beep"),
                    () -> assertFalse(heard.silent(), "MD-3: the greeting is speech"),
                    () -> assertEquals(1, messages.size(), "MS-1: one message"),
                    () -> assertEquals("5551234", message.caller(), "MS-1: who called"),
                    () -> assertEquals(MESSAGE_MS, message.durationMs(), 1_000,
                            "MD-4: recorded from the beep to the caller's hang-up"),
                    () -> assertEquals(message.durationMs() / 1000.0, recorded.lengthSeconds(), 0.2,
                            "MS-1: the audio is as long"),
                    () -> assertFalse(recorded.silent(), "MS-1: the caller's tone, not silence"));
            Poll.await("the session closed", 5_000, () -> demo.subscriber().voice().counters().sessionsOpen() == 0,
                    () -> demo.subscriber().voice().counters().asMap().toString());
        }
    }

    /** The RTP port of the subscriber's call with media, 0 when none has one (MD-1). */
    private static int sessionPort(DemoCluster demo) {
        for (int i = 0; i < demo.subscriber().portPlan().size(); i++) {
            VoiceCall call = demo.subscriber().voice().call(i);
            if (call != null) {
                return call.localPort();
            }
        }
        return 0;
    }

    private static List<MessageRow> messages(DemoCluster demo) {
        return demo.database().messages().forMailbox(MAILBOX);
    }

    /** One second of a 440 Hz tone at a quarter of full scale, G.711 mu-law: what the caller says, over and over. */
    private static byte[] tone() {
        byte[] mu = new byte[Codec.CLOCK_RATE_HZ];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = Codec.PCMU.encode((short) (8_000 * Math.sin(2 * Math.PI * 440 * i / Codec.CLOCK_RATE_HZ)));
        }
        return mu;
    }
}
