package io.vmport.engine.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.config.MediaConfig;
import io.vmport.config.ServerName;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.conversation.ConversationSettings;
import io.vmport.engine.conversation.Mailbox;
import io.vmport.engine.conversation.MessageStore;
import io.vmport.engine.conversation.MessageSummary;
import io.vmport.engine.conversation.NewMessage;
import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.media.RecordingEnd;
import io.vmport.engine.ports.PortPlan;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call's voice on real loopback sockets, without SIP: the conversation driven by what the caller's socket sends
 * (RFC 4733 digits, G.711 audio), its states published for the monitor (MD-6), its message stored (MS-1), its
 * session closed at the end (MD-1).
 */
class VoicePortsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<String> monitor = new CopyOnWriteArrayList<>();
    private final List<NewMessage> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger hangUps = new AtomicInteger();
    private VoicePorts voice;
    private DatagramSocket caller;

    @BeforeEach
    void start() throws Exception {
        int first = LoopbackPorts.freeUdpAndTcp() & ~1;  // a free even port; the plane skips any taken since
        voice = new VoicePorts(ServerName.PUBLISHER, new MediaConfig("127.0.0.1", first, first + 19),
                PortPlan.of(Integration.SIP_TRUNK, 4), ClusterSettings.defaults(), new OneMailboxStore(),
                (port, callId, change) -> monitor.add(port + " " + callId + " " + change.conversation() + " "
                        + change.mailbox()));
        voice.start();
        caller = new DatagramSocket(0, LOOPBACK);
    }

    @AfterEach
    void stop() {
        caller.close();
        voice.close();
    }

    /**
     * MD-3, MD-4, MD-6, MS-1: a call forwarded from 1001: GREETING, # skips to the beep (one digit however often
     * its end repeats), RECORDING, 2 s of speech, then the caller hangs up: the message is kept, 2 s long, and the
     * session closes.
     */
    @Test
    void md3_md4_md6_ms1_hangUpWhileRecordedKeepsTheMessage() throws Exception {
        VoiceCall call = voice.open(0, "c1", "2002", "1001", "5000", hangUps::incrementAndGet);
        call.connect(new InetSocketAddress(LOOPBACK, caller.getLocalPort()), Codec.PCMA, 101);
        call.start();
        InetSocketAddress session = new InetSocketAddress(LOOPBACK, call.localPort());
        Poll.await("GREETING for 1001", 10_000, () -> monitor.contains("0 c1 GREETING 1001"), monitor::toString);

        for (int i = 0; i < 3; i++) {
            send(session, dtmfEnd(11, 7), 101, i);  // '#', its end packet three times
        }
        Poll.await("RECORDING after the beep", 10_000, () -> monitor.contains("0 c1 RECORDING 1001"),
                monitor::toString);
        byte[] speech = new byte[160];
        for (int i = 0; i < speech.length; i++) {
            speech[i] = (byte) (i % 2 == 0 ? 0x2a : 0xaa);  // loud A-law, far from silence
        }
        // a caller speaks in real time: one frame every 20 ms (the monitor shows RECORDING a moment before the
        // recording starts, so a burst could be sent before it; at 20 ms a frame at most misses it)
        long startNs = System.nanoTime();
        for (int f = 0; f < 100; f++) {
            LockSupport.parkNanos(startNs + f * 20_000_000L - System.nanoTime());
            send(session, speech, 8, 10 + f);
        }
        Poll.await("100 frames received", 10_000, () -> voice.counters().packetsIn() >= 103,
                () -> voice.counters().asMap().toString());
        voice.ended(0, "c1");

        Poll.await("the message stored", 10_000, () -> stored.size() == 1, stored::toString);
        NewMessage m = stored.get(0);
        assertEquals("1001", m.mailbox());
        assertEquals("2002", m.caller());
        assertEquals("pub-sip-001", m.port());
        assertEquals(2_000, m.durationMs(), 100, m.toString());
        assertEquals(1, voice.counters().digits(), "one digit for three end packets");
        Poll.await("the session closed", 5_000, () -> voice.counters().sessionsOpen() == 0,
                () -> voice.counters().asMap().toString());
        assertEquals(0, hangUps.get(), "the caller hung up; vmport did not");
    }

    /**
     * MD-3: a caller who is no mailbox's and presses nothing is asked for an extension three times, each wait ended by
     * its lane's ticker after the digit timeout, then hears goodbye and is hung up (VoiceLane ticks every started call).
     */
    @Test
    void md3_callerWhoPressesNothingIsAskedThreeTimesThenHungUp() throws Exception {
        VoiceCall call = voice.open(2, "c3", "5551234", null, "8000", hangUps::incrementAndGet);
        call.connect(new InetSocketAddress(LOOPBACK, caller.getLocalPort()), Codec.PCMU, 101);
        call.start();
        Poll.await("OPENING", 10_000, () -> monitor.contains("2 c3 OPENING null"), monitor::toString);
        long waitMs = 3 * (ConversationSettings.DEFAULT_DIGIT_TIMEOUT_MS + 10_000);
        Poll.await("GOODBYE after three digit timeouts", waitMs, () -> monitor.contains("2 c3 GOODBYE null"),
                monitor::toString);
        Poll.await("hung up after goodbye", 20_000, () -> hangUps.get() == 1, () -> "hang-ups " + hangUps.get());
        voice.ended(2, "c3");
        Poll.await("the session closed", 5_000, () -> voice.counters().sessionsOpen() == 0,
                () -> voice.counters().asMap().toString());
    }

    /**
     * MD-1, MD-6: a session opened and connected elsewhere (as the SCCP side does) gets its conversation through
     * attach: a caller that is no mailbox's, not forwarded, hears the OPENING; the call's end closes the session.
     */
    @Test
    void md1_md6_attachedSessionGetsItsConversation() throws Exception {
        Forwarder forwarder = new Forwarder();
        MediaSession session = voice.plane().open("c2", forwarder);
        session.connect(new InetSocketAddress(LOOPBACK, caller.getLocalPort()), Codec.PCMU, -1);

        forwarder.to = voice.attach(1, "c2", session, "5551234", null, "8000", hangUps::incrementAndGet);

        Poll.await("OPENING with no mailbox", 10_000, () -> monitor.contains("1 c2 OPENING null"), monitor::toString);
        assertTrue(voice.call(1) != null && voice.call(1).localPort() == session.localPort());
        voice.ended(1, "c2");
        Poll.await("the session closed", 5_000, () -> voice.counters().sessionsOpen() == 0,
                () -> voice.counters().asMap().toString());
    }

    private void send(InetSocketAddress to, byte[] payload, int payloadType, int sequence) throws Exception {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) payloadType;
        p[2] = (byte) (sequence >>> 8);
        p[3] = (byte) sequence;
        int timestamp = payloadType == 101 ? 8_000 : sequence * 160;  // one DTMF event: one timestamp
        p[4] = (byte) (timestamp >>> 24);
        p[5] = (byte) (timestamp >>> 16);
        p[6] = (byte) (timestamp >>> 8);
        p[7] = (byte) timestamp;
        p[11] = 7;  // SSRC
        System.arraycopy(payload, 0, p, 12, payload.length);
        caller.send(new DatagramPacket(p, p.length, to));
    }

    /** An RFC 4733 event payload with its end bit set: event, E|volume, duration 800 samples. */
    private static byte[] dtmfEnd(int event, int volume) {
        return new byte[] {(byte) event, (byte) (0x80 | volume), 0x03, 0x20};
    }

    /** Hands a session's events to the call attached later, as the SCCP side's listener does. */
    private static final class Forwarder implements MediaListener {
        volatile MediaListener to;

        @Override
        public void onDigit(char digit, long nowNs) {
            if (to != null) {
                to.onDigit(digit, nowNs);
            }
        }

        @Override
        public void onPlaybackDone(long nowNs) {
            if (to != null) {
                to.onPlaybackDone(nowNs);
            }
        }

        @Override
        public void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs) {
            if (to != null) {
                to.onRecordingEnded(reason, pcm, durationMs, nowNs);
            }
        }

        @Override
        public void onMediaTimeout(long nowNs) {
            if (to != null) {
                to.onMediaTimeout(nowNs);
            }
        }
    }

    /** Mailbox 1001 and nothing else; keeps what is stored. */
    private final class OneMailboxStore implements MessageStore {
        @Override
        public Optional<Mailbox> mailbox(String extension) {
            return "1001".equals(extension) ? Optional.of(new Mailbox("1001", "Mailbox 1001", false))
                    : Optional.empty();
        }

        @Override
        public Optional<byte[]> greeting(String extension) {
            return Optional.empty();
        }

        @Override
        public List<MessageSummary> messages(String extension) {
            return List.of();
        }

        @Override
        public Optional<byte[]> audio(String messageId) {
            return Optional.empty();
        }

        @Override
        public void store(NewMessage message) {
            stored.add(message);
        }

        @Override
        public void markHeard(String messageId) {
        }

        @Override
        public void delete(String messageId) {
        }
    }
}
