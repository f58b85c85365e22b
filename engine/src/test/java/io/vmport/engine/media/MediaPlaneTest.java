package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vmport.config.testing.Poll;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The media plane on real loopback sockets: MD-1 ports, MD-2 pacing, MD-4 recording and DTMF, MD-5 timeout. */
class MediaPlaneTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int DTMF_PT = 101;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Events events = new Events();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** What a session reported. */
    static class Events implements MediaListener {
        final StringBuffer digits = new StringBuffer();
        final AtomicInteger playbackDone = new AtomicInteger();
        final AtomicInteger timeouts = new AtomicInteger();
        final List<Object[]> recordings = new CopyOnWriteArrayList<>();
        /** A session to close from inside onMediaTimeout, as the call does on MD-5. */
        volatile MediaSession closeOnTimeout;

        @Override
        public void onDigit(char digit, long nowNs) {
            digits.append(digit);
        }

        @Override
        public void onPlaybackDone(long nowNs) {
            playbackDone.incrementAndGet();
        }

        @Override
        public void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs) {
            recordings.add(new Object[]{reason, pcm, durationMs});
        }

        @Override
        public void onMediaTimeout(long nowNs) {
            timeouts.incrementAndGet();
            if (closeOnTimeout != null) {
                closeOnTimeout.close();
            }
        }

        Object[] awaitRecording() {
            Poll.await("a recording to end", 5000, () -> !recordings.isEmpty(), () -> "none");
            return recordings.get(0);
        }
    }

    /** An even first port of {@code ports} consecutive ports that are all free on loopback right now. */
    static int freeRange(int ports) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                first = probe.getLocalPort() & ~1;
            }
            if (first + ports > 65535 || !allFree(first, ports)) {
                continue;
            }
            return first;
        }
        throw new IOException("no free range of " + ports + " UDP ports on loopback");
    }

    private static boolean allFree(int first, int ports) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            for (int p = first; p < first + ports; p++) {
                held.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, p)));
            }
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }

    private MediaPlane plane(int first, int last, long mediaTimeoutMs) {
        MediaPlane plane = MediaPlane.start(new MediaSettings(LOOPBACK.getHostAddress(), first, last, 2,
                mediaTimeoutMs));
        toClose.add(plane);
        return plane;
    }

    private MediaPlane plane() throws IOException {
        int first = freeRange(20);
        return plane(first, first + 19, 30_000);
    }

    private DatagramSocket peer() throws SocketException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(3000);
        toClose.add(s);
        return s;
    }

    private static InetSocketAddress address(DatagramSocket s) {
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    private static void connect(MediaSession session, DatagramSocket peer, Codec codec) {
        session.connect(address(peer), codec, DTMF_PT);
        Poll.await("connect to take effect", 2000, () -> session.remote() != null, session::toString);
    }

    private static void startRecording(MediaSession session, long maxMs, long silenceMs) {
        session.startRecording(maxMs, silenceMs);
        Poll.await("recording to start", 2000, session::recordingActive, session::toString);
    }

    /** A session connected to {@code peer} (PCMU), recording with these limits. */
    private MediaSession recordingSession(MediaPlane plane, DatagramSocket peer, long maxMs, long silenceMs)
            throws IOException {
        MediaSession session = plane.open("call-record", events);
        connect(session, peer, Codec.PCMU);
        startRecording(session, maxMs, silenceMs);
        return session;
    }

    /** Records {@code frames} frames of a tone sent with nothing after them; the recording's report. */
    private Object[] recordTone(long maxMs, long silenceMs, int frames) throws IOException {
        DatagramSocket peer = peer();
        sendTone(peer, recordingSession(plane(), peer, maxMs, silenceMs), frames);
        return events.awaitRecording();
    }

    /** Sends {@code frames} PCMU frames of a tone, sequence and timestamp from 0. */
    private static void sendTone(DatagramSocket peer, MediaSession session, int frames) throws IOException {
        short[] voice = tone(frames * 160, 9000);
        for (int f = 0; f < frames; f++) {
            send(peer, session, rtp(0, false, f, f * 160, encode(Codec.PCMU, voice, f * 160)));
        }
    }

    static short[] tone(int samples, int amplitude) {
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (short) (amplitude * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        return pcm;
    }

    static byte[] rtp(int pt, boolean marker, int seq, int ts, byte[] payload) {
        ByteBuf buf = Unpooled.buffer();
        RtpPacket.writeHeader(buf, marker, pt, seq, ts, 0xCAFE);
        buf.writeBytes(payload);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    private static void send(DatagramSocket from, MediaSession to, byte[] data) throws IOException {
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(LOOPBACK, to.localPort())));
    }

    private static byte[] encode(Codec codec, short[] pcm, int from) {
        byte[] out = new byte[160];
        for (int i = 0; i < 160; i++) {
            out[i] = codec.encode(pcm[from + i]);
        }
        return out;
    }

    private static RtpPacket receive(DatagramSocket peer, byte[] into) throws IOException {
        DatagramPacket p = new DatagramPacket(into, into.length);
        peer.receive(p);
        RtpPacket rtp = new RtpPacket();
        assertTrue(rtp.decode(Unpooled.wrappedBuffer(into, 0, p.getLength())), "a version 2 RTP packet");
        return rtp;
    }

    @Test
    void md2PlayedClipArrivesAsPacedConsecutiveFramesAndDecodesBack() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        MediaSession session = plane.open("call-play", events);
        short[] clip = tone(50 * 160 + 80, 10000);
        session.play(List.of(clip));
        session.connect(address(peer), Codec.PCMA, DTMF_PT);

        int frames = 51;
        long[] arrivalNs = new long[frames];
        short[] heard = new short[frames * 160];
        RtpPacket first = null;
        int lastSeq = -1;
        int lastTs = 0;
        byte[] buf = new byte[2048];
        for (int f = 0; f < frames; f++) {
            RtpPacket p = receive(peer, buf);
            arrivalNs[f] = System.nanoTime();
            assertEquals(8, p.payloadType);
            assertEquals(160, p.payloadLength);
            assertEquals(f == 0, p.marker, "marker on the first packet only, frame " + f);
            if (first == null) {
                first = p;
            } else {
                assertEquals((lastSeq + 1) & 0xFFFF, p.sequence, "sequence +1, frame " + f);
                assertEquals(lastTs + 160, p.timestamp, "timestamp +160, frame " + f);
                assertEquals(first.ssrc, p.ssrc);
            }
            lastSeq = p.sequence;
            lastTs = p.timestamp;
            for (int i = 0; i < 160; i++) {
                heard[f * 160 + i] = Codec.PCMA.decode(buf[p.payloadIndex + i]);
            }
        }
        for (int i = 0; i < clip.length; i++) {
            assertTrue(Math.abs(heard[i] - clip[i]) <= Math.abs(clip[i]) / 16 + 16,
                    "sample " + i + " sent " + clip[i] + " heard " + heard[i]);
        }
        for (int i = clip.length; i < heard.length; i++) {
            assertEquals(8, heard[i], "the last frame is padded with A-law silence");
        }
        assertTrue(arrivalNs[frames - 1] - arrivalNs[0] >= 900_000_000L,
                "51 frames are paced over about a second, not burst: "
                        + (arrivalNs[frames - 1] - arrivalNs[0]) + " ns");
        Poll.await("playback done", 2000, () -> events.playbackDone.get() == 1, () -> "" + events.playbackDone);

        RtpPacket after = receive(peer, buf);
        assertEquals((lastSeq + 1) & 0xFFFF, after.sequence, "the stream goes on with comfort silence");
        assertFalse(after.marker);
        byte[] silence = new byte[160];
        Arrays.fill(silence, Codec.PCMA.silence());
        assertArrayEquals(silence, Arrays.copyOfRange(buf, after.payloadIndex, after.payloadIndex + 160));
        assertEquals(1, events.playbackDone.get());
    }

    @Test
    void stopPlaybackMidClipThenPlayStartsTheNewClipFromItsStart() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        MediaSession session = plane.open("call-barge-in", events);
        connect(session, peer, Codec.PCMU);
        session.play(List.of(tone(8000 * 30, 10000)));
        byte[] buf = new byte[2048];
        RtpPacket p;
        do { // until the long clip is playing
            p = receive(peer, buf);
        } while (buf[p.payloadIndex + 1] == Codec.PCMU.silence());
        session.stopPlayback();
        short[] beep = new short[160];
        Arrays.fill(beep, (short) 4000);
        session.play(List.of(beep));
        Poll.await("the beep played", 3000, () -> events.playbackDone.get() == 1, () -> "" + events.playbackDone);
        boolean heardBeep = false;
        for (int f = 0; f < 200 && !heardBeep; f++) { // the frames sent meanwhile are still in the socket
            p = receive(peer, buf);
            heardBeep = Codec.PCMU.decode(buf[p.payloadIndex]) > 3700
                    && Codec.PCMU.decode(buf[p.payloadIndex + 159]) > 3700;
        }
        assertTrue(heardBeep, "a whole frame of the beep, from its first sample");
    }

    @Test
    void md4RecordingGivesTheSentAudioInSequenceOrderAndItsDuration() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        MediaSession session = plane.open("call-record", events);
        connect(session, peer, Codec.PCMU);
        startRecording(session, 60_000, 10_000);
        short[] sent = tone(50 * 160, 9000);
        int[] order = new int[50];
        for (int f = 0; f < 50; f++) {
            order[f] = f == 10 ? 11 : f == 11 ? 10 : f;
        }
        for (int f : order) {
            send(peer, session, rtp(0, f == 0, 40_000 + f, 1000 + f * 160, encode(Codec.PCMU, sent, f * 160)));
        }
        Poll.await("50 frames in", 3000, () -> plane.counters().packetsIn() >= 50, () -> plane.counters().asMap()
                .toString());
        session.stopRecording();
        Object[] r = events.awaitRecording();
        assertEquals(RecordingEnd.STOPPED, r[0]);
        assertEquals(1000, r[2]);
        short[] pcm = (short[]) r[1];
        assertEquals(sent.length, pcm.length);
        for (int i = 0; i < sent.length; i++) {
            assertEquals(Codec.PCMU.decode(Codec.PCMU.encode(sent[i])), pcm[i], "sample " + i);
        }
        assertEquals(0, plane.counters().lateOrLost());
    }

    @Test
    void md4RecordingEndsAfterTheSilenceLimitWithoutTheSilence() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        MediaSession session = recordingSession(plane, peer, 60_000, 200);
        sendTone(peer, session, 20);
        byte[] quiet = encode(Codec.PCMU, new short[160], 0);
        for (int f = 20; f < 40; f++) {
            send(peer, session, rtp(0, false, f, f * 160, quiet));
        }
        Object[] r = events.awaitRecording();
        assertEquals(RecordingEnd.SILENCE, r[0]);
        assertEquals(400, r[2], "20 frames of voice, the silence cut off");
    }

    @Test
    void md4RecordingEndsForSilenceWhenTheCallerStopsSendingAltogether() throws Exception {
        Object[] r = recordTone(60_000, 300, 10);
        assertEquals(RecordingEnd.SILENCE, r[0]);
        assertEquals(200, r[2]);
    }

    @Test
    void md4RecordingEndsAtTheMaximumLength() throws Exception {
        Object[] r = recordTone(500, 10_000, 40);
        assertEquals(RecordingEnd.MAX_LENGTH, r[0]);
        assertEquals(500, r[2]);
        assertEquals(4000, ((short[]) r[1]).length);
    }

    @Test
    void md4HangUpDuringARecordingKeepsIt() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        MediaSession session = recordingSession(plane, peer, 60_000, 10_000);
        sendTone(peer, session, 25);
        Poll.await("25 frames in", 3000, () -> plane.counters().packetsIn() >= 25, () -> "");
        session.close();
        Object[] r = events.awaitRecording();
        assertEquals(RecordingEnd.STOPPED, r[0]);
        assertEquals(500, r[2]);
    }

    @Test
    void md4DtmfEndPacketSentThreeTimesIsOneDigit() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        MediaSession session = plane.open("call-dtmf", events);
        connect(session, peer, Codec.PCMU);
        int seq = 100;
        for (int i = 0; i < 3; i++) { // the begin packets of '5' were lost: only its end, three times
            send(peer, session, rtp(DTMF_PT, false, seq++, 8000, new byte[]{5, (byte) 0x8A, 0x03, 0x20}));
        }
        send(peer, session, rtp(DTMF_PT, true, seq++, 16000, new byte[]{11, 0x0A, 0, (byte) 160}));
        send(peer, session, rtp(DTMF_PT, false, seq++, 16000, new byte[]{11, 0x0A, 1, 64}));
        for (int i = 0; i < 3; i++) {
            send(peer, session, rtp(DTMF_PT, false, seq++, 16000, new byte[]{11, (byte) 0x8A, 3, 32}));
        }
        Poll.await("all 8 packets in", 3000, () -> plane.counters().packetsIn() == 8, () -> plane.counters()
                .asMap().toString());
        assertEquals("5#", events.digits.toString());
        assertEquals(2, plane.counters().digits());
    }

    @Test
    void wrongSourceWrongPayloadTypeAndGarbageAreDroppedAndCountedAndTheCallGoesOn() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        DatagramSocket stranger = peer();
        MediaSession session = plane.open("call-garbage", events);
        connect(session, peer, Codec.PCMU);
        send(stranger, session, rtp(DTMF_PT, false, 1, 800, new byte[]{1, (byte) 0x8A, 0, 0}));
        send(peer, session, rtp(18, false, 2, 160, new byte[20]));
        send(peer, session, new byte[]{(byte) 0x80, 0, 1});
        byte[] version1 = rtp(0, false, 3, 320, new byte[160]);
        version1[0] = 0x40;
        send(peer, session, version1);
        send(peer, session, rtp(DTMF_PT, false, 4, 4800, new byte[]{7, (byte) 0x8A, 0, 0}));
        Poll.await("digit 7 after the bad packets", 3000, () -> events.digits.toString().equals("7"),
                () -> events.digits + " " + plane.counters().asMap());
        MediaCounters c = plane.counters();
        assertEquals(1, c.wrongSource(), "a valid DTMF packet from another port is not the caller's");
        assertEquals(1, c.wrongPayloadType());
        assertEquals(2, c.garbage());
        assertEquals(5, c.packetsIn());
        RtpPacket stillSending = receive(peer, new byte[2048]);
        assertEquals(0, stillSending.payloadType);
    }

    @Test
    void md5NoRtpForTheMediaTimeoutIsReportedOnce() throws Exception {
        int first = freeRange(4);
        MediaPlane plane = plane(first, first + 3, 300);
        DatagramSocket peer = peer();
        MediaSession quiet = plane.open("call-quiet", events);
        connect(quiet, peer, Codec.PCMU);
        Poll.await("media timeout", 3000, () -> events.timeouts.get() == 1, () -> "" + events.timeouts);
        long sentThen = plane.counters().packetsOut();
        Poll.await("another 600 ms of frames", 3000, () -> plane.counters().packetsOut() >= sentThen + 30,
                () -> plane.counters().asMap().toString());
        assertEquals(1, events.timeouts.get(), "reported once");
        assertEquals(1, plane.counters().mediaTimeouts());
    }

    /** MD-1: PCMU on the offer's dynamic payload type 96: frames go out as 96, and 96 is recorded, 0 dropped. */
    @Test
    void md1CodecOnADynamicPayloadTypeIsSentAndReceivedAsThatType() throws Exception {
        MediaPlane plane = plane();
        DatagramSocket peer = peer();
        MediaSession session = plane.open("call-dynamic", events);
        session.connect(address(peer), Codec.PCMU, 96, DTMF_PT, MediaDirection.SEND_RECEIVE);
        assertEquals(96, receive(peer, new byte[2048]).payloadType, "sent as the offer's 96");
        startRecording(session, 10_000, 5_000);
        short[] pcm = tone(160 * 10, 8000);
        for (int f = 0; f < 10; f++) {
            send(peer, session, rtp(96, f == 0, f, f * 160, encode(Codec.PCMU, pcm, f * 160)));
        }
        send(peer, session, rtp(0, false, 10, 1600, new byte[160]));
        Poll.await("the frames and the stray one arrived", 3000, () -> plane.counters().packetsIn() >= 11,
                () -> plane.counters().asMap().toString());
        session.stopRecording();
        Object[] recording = events.awaitRecording();
        assertEquals(200, (int) recording[2], "10 frames of 96 recorded");
        assertEquals(1, plane.counters().wrongPayloadType(), "PT 0 is not this call's audio");
        assertThrows(IllegalArgumentException.class, () -> session.connect(address(peer), Codec.PCMU, 101, 101,
                MediaDirection.SEND_RECEIVE));
    }

    /**
     * MD-1, MD-5: on hold (the caller sends nothing, vmport sends nothing) no frame goes out, what plays waits and
     * no media timeout comes however long the hold; resumed, the queued audio plays and the timeout runs again.
     */
    @Test
    void md1md5HoldStopsSendingAndTheMediaTimeoutUntilResumed() throws Exception {
        int first = freeRange(4);
        MediaPlane plane = plane(first, first + 3, 300);
        DatagramSocket peer = peer();
        MediaSession held = plane.open("call-held", events);
        held.connect(address(peer), Codec.PCMU, 0, DTMF_PT, MediaDirection.INACTIVE);
        held.play(List.of(tone(160 * 5, 8000)));
        long heldNs = System.nanoTime();
        Poll.await("a second on hold, three media timeouts long", 3000,
                () -> System.nanoTime() - heldNs >= 1_000_000_000L, () -> plane.counters().asMap().toString());
        assertEquals(0, plane.counters().packetsOut(), "nothing sent on hold");
        assertEquals(0, events.timeouts.get(), "no media timeout on hold");
        assertEquals(0, events.playbackDone.get(), "the prompt waits");

        held.connect(address(peer), Codec.PCMU, 0, DTMF_PT, MediaDirection.SEND_RECEIVE);
        assertTrue(receive(peer, new byte[2048]).marker, "resumed: a new stream starts with the marker");
        Poll.await("the waiting prompt played, then the media timeout", 3000,
                () -> events.playbackDone.get() == 1 && events.timeouts.get() == 1, () -> events.timeouts + "");
    }

    @Test
    void md5ClosingFromTheTimeoutCallbackFreesThePort() throws Exception {
        int first = freeRange(2);
        MediaPlane plane = plane(first, first + 1, 200);
        DatagramSocket peer = peer();
        MediaSession quiet = plane.open("call-quiet", events);
        events.closeOnTimeout = quiet;
        connect(quiet, peer, Codec.PCMU);
        Poll.await("the timed-out session closed", 3000, () -> plane.counters().sessionsOpen() == 0,
                () -> plane.counters().asMap().toString());
        MediaSession next = plane.open("call-next", new Events());
        assertEquals(first, next.localPort());
        assertEquals(1, events.timeouts.get());
    }

    @Test
    void md5RtpKeepsTheSessionAlive() throws Exception {
        int first = freeRange(4);
        MediaPlane plane = plane(first, first + 3, 300);
        DatagramSocket peer = peer();
        MediaSession talking = plane.open("call-talking", events);
        connect(talking, peer, Codec.PCMU);
        byte[] buf = new byte[2048];
        for (int f = 0; f < 50; f++) { // answer each of its frames with one of ours: a second of two-way RTP
            receive(peer, buf);
            send(peer, talking, rtp(0, false, f, f * 160, new byte[160]));
        }
        assertEquals(0, events.timeouts.get());
    }

    @Test
    void md1ClosingReleasesThePortForReuseAndAnExhaustedRangeSaysSo() throws Exception {
        int first = freeRange(2);
        MediaPlane plane = plane(first, first + 1, 30_000);
        MediaSession one = plane.open("call-1", events);
        assertEquals(first, one.localPort());
        assertEquals(LOOPBACK.getHostAddress(), one.localHost());
        MediaException full = assertThrows(MediaException.class, () -> plane.open("call-2", events));
        assertTrue(full.getMessage().contains(first + "-" + (first + 1)), full.getMessage());
        assertTrue(full.getMessage().contains("call-2"), full.getMessage());
        one.close();
        one.close();
        MediaSession[] two = new MediaSession[1];
        Poll.await("the port to be free again", 3000, () -> {
            try {
                two[0] = plane.open("call-2", events);
                return true;
            } catch (MediaException e) {
                return false;
            }
        }, () -> plane.counters().asMap().toString());
        assertEquals(first, two[0].localPort());
        assertEquals(1, plane.counters().sessionsOpen());
    }

    /**
     * MD-1, call setup under load: {@code open} binds on the caller's thread and never waits for a media loop, so
     * a loop that is busy (here: stuck in a listener callback) does not hold up the next call's setup; the new
     * session joins the loop once it is free and sends its frames.
     */
    @Test
    void md1OpenDoesNotWaitForABusyMediaLoop() throws Exception {
        int first = freeRange(4);
        MediaPlane plane = MediaPlane.start(new MediaSettings(LOOPBACK.getHostAddress(), first, first + 3, 1,
                30_000));
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MediaListener stuck = new Events() {
            @Override
            public void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs) {
                inCallback.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        MediaSession next;
        try {
            MediaSession busy = plane.open("call-busy", stuck);
            busy.startRecording(60_000, 60_000);
            busy.stopRecording();
            assertTrue(inCallback.await(5, TimeUnit.SECONDS), "the only media loop is in the callback");
            next = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> plane.open("call-next", events),
                    "open waited for the busy media loop");
            assertEquals(first + 2, next.localPort());
        } finally {
            release.countDown();
            toClose.add(plane);
        }
        DatagramSocket peer = peer();
        connect(next, peer, Codec.PCMU);
        DatagramPacket frame = new DatagramPacket(new byte[2048], 2048);
        peer.receive(frame);
        assertEquals(next.localPort(), frame.getPort(), "the session sends from its port once the loop is free");
    }

    @Test
    void md1APortHeldBySomethingElseIsSkipped() throws Exception {
        int first = freeRange(4);
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, first))) {
            MediaPlane plane = plane(first, first + 3, 30_000);
            MediaSession session = plane.open("call-skip", events);
            assertEquals(first + 2, session.localPort());
            assertEquals(1, plane.counters().portBindFailures());
            assertEquals(squatter.getLocalPort(), first);
        }
    }

    @Test
    void aHostThatCannotBindIsRefusedNamingHostAndRange() {
        MediaException e = assertThrows(MediaException.class,
                () -> MediaPlane.start(MediaSettings.of("192.0.2.1", 30000, 30099)));
        assertTrue(e.getMessage().contains("192.0.2.1") && e.getMessage().contains("30000-30099"), e.getMessage());
    }
}
