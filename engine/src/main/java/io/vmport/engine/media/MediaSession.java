package io.vmport.engine.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of one answered call (SPEC MD-1): one UDP port, what plays to the caller and what the caller sends.
 * Methods may be called from any thread; they take effect on the session's event loop, where all its state lives
 * and where its {@link MediaListener} is called.
 *
 * <p>Sending: once connected, the session sends one RTP frame every 20 ms (its loop's pacer): the queued clips,
 * and comfort silence (G.711 silence frames) when nothing is queued. A continuous stream keeps NAT bindings and
 * the latching of symmetric-RTP session border controllers alive (many send the caller's voice only after they
 * have seen ours, which would leave a recording empty) and keeps the far end's media-inactivity timers quiet
 * during a long recording; it costs the 64 kbit/s a G.711 call is sized for anyway. The marker bit is set on the
 * first packet and on the first audio frame after silence frames.
 *
 * <p>Receiving: only packets from the connected remote address and port count (symmetric RTP, RFC 4961: PBXs and
 * SIPp send from the port they named); others, other payload types and garbage are counted and dropped, and the
 * call goes on.
 */
public final class MediaSession {
    private static final Logger LOG = LoggerFactory.getLogger(MediaSession.class);
    /** Samples per 20 ms frame at 8 kHz. */
    static final int FRAME_SAMPLES = 160;
    /** Longest audio frame taken into a recording: 60 ms. */
    static final int MAX_FRAME_SAMPLES = 480;
    static final int REORDER_WINDOW_FRAMES = 8;

    private final String callId;
    private final String localHost;
    private final MediaListener listener;
    private final Pacer pacer;
    private final MediaCounters counters;
    private final long mediaTimeoutNs;
    private final Consumer<MediaSession> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RxHandler rxHandler = new RxHandler();
    private Channel channel;
    /** The channel's socket, written directly: a frame is one {@code send} system call, no Netty pipeline. */
    private DatagramChannel socket;
    private int localPort;

    // sending, on the loop
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private int timestamp = ThreadLocalRandom.current().nextInt();
    private boolean markNext = true;
    private boolean lastWasAudio;
    /** Volatile only so that other threads (tests) can see when {@link #connect} took effect. */
    private volatile InetSocketAddress remote;
    private Codec codec = Codec.PCMU;
    /** The codec's payload type in this call: its static one, or the offer's dynamic one (rtpmap). */
    private int payloadType = Codec.PCMU.payloadType();
    private int dtmfPayloadType = -1;
    private MediaDirection direction = MediaDirection.SEND_RECEIVE;
    private final ArrayDeque<short[]> queue = new ArrayDeque<>();
    private short[] clip;
    private int clipOffset;

    // receiving, on the loop
    private final RtpPacket rx = new RtpPacket();
    /**
     * The receiving buffers of a recording (9 KiB), made when the session's first recording starts: most calls record
     * nothing (the owner's conversation, the opening, a caller who hangs up during the greeting), and a call's set-up
     * should not allocate them. Used only while {@link #recording} is set.
     */
    private short[] rxPcm;
    private ReorderBuffer reorder;
    private final DtmfEvents dtmf = new DtmfEvents();
    private Recording recording;
    /** Whether a recording runs, for other threads (tests wait for it before they send). */
    private volatile boolean recordingActive;
    private long lastAudioNs;
    private long recordingSilenceNs;
    private long lastHeardNs;
    private boolean timedOut;

    MediaSession(String callId, String localHost, MediaListener listener, Pacer pacer, MediaCounters counters,
            long mediaTimeoutMs, Consumer<MediaSession> onClosed) {
        this.callId = Objects.requireNonNull(callId, "callId");
        this.localHost = localHost;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.pacer = pacer;
        this.counters = counters;
        this.mediaTimeoutNs = TimeUnit.MILLISECONDS.toNanos(mediaTimeoutMs);
        this.onClosed = onClosed;
    }

    /** The receiving handler of the session's channel (auto-read off until {@link #attach}). */
    SimpleChannelInboundHandler<DatagramPacket> rxHandler() {
        return rxHandler;
    }

    /**
     * Takes the bound channel before it is registered with the loop; the session starts (joins its pacer, reads) when
     * the registration runs on the loop ({@link RxHandler#channelRegistered}), so a call's set-up costs the loop one
     * task, not two.
     */
    void attach(Channel boundChannel, DatagramChannel boundSocket, int port) {
        this.channel = boundChannel;
        this.socket = boundSocket;
        this.localPort = port;
    }

    /** On the loop, once the channel is registered: the session joins its pacer and starts reading. */
    private void started() {
        lastHeardNs = System.nanoTime();
        pacer.add(this);
        channel.config().setAutoRead(true);
    }

    /** The address the session receives on (for the SDP answer or OpenReceiveChannelAck). */
    public String localHost() {
        return localHost;
    }

    /** The even port the session receives on. */
    public int localPort() {
        return localPort;
    }

    /** The call this session serves. */
    public String callId() {
        return callId;
    }

    /**
     * Where to send and what to expect, from the SDP offer (SIP) or StartMediaTransmission (SCCP); may be called
     * again (re-INVITE) to change them. Restarts the media timeout.
     *
     * @param dtmfPayloadType the negotiated {@code telephone-event} payload type (96-127), -1 for none
     */
    public void connect(InetSocketAddress remote, Codec codec, int dtmfPayloadType) {
        connect(remote, codec, codec.payloadType(), dtmfPayloadType, MediaDirection.SEND_RECEIVE);
    }

    /**
     * As {@link #connect(InetSocketAddress, Codec, int)}, with the codec's payload type in this call (its static
     * one, or a dynamic one an SDP rtpmap gave it, e.g. {@code PCMU/8000} on 96) and the {@code direction} (a
     * re-INVITE's hold and resume). While the session does not send, what is queued waits; while the caller does
     * not send, there is no media timeout.
     *
     * @param payloadType the codec's RTP payload type, 0-127
     */
    public void connect(InetSocketAddress remote, Codec codec, int payloadType, int dtmfPayloadType,
                        MediaDirection direction) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(direction, "direction");
        if (payloadType < 0 || payloadType > 127 || payloadType == dtmfPayloadType) {
            throw new IllegalArgumentException("payload type " + payloadType + " of " + codec + " (DTMF "
                    + dtmfPayloadType + "); allowed: 0-127, not the DTMF one");
        }
        if (dtmfPayloadType != -1 && (dtmfPayloadType < 0 || dtmfPayloadType > 127)) {
            throw new IllegalArgumentException("DTMF payload type " + dtmfPayloadType + "; allowed: 0-127 or -1");
        }
        InetSocketAddress resolved = remote.isUnresolved()
                ? new InetSocketAddress(remote.getHostString(), remote.getPort()) : remote;
        onLoop(() -> {
            this.remote = resolved;
            this.codec = codec;
            this.payloadType = payloadType;
            this.direction = direction;
            this.dtmfPayloadType = dtmfPayloadType;
            this.markNext = true;
            this.lastHeardNs = System.nanoTime();
        });
    }

    /** Queues clips (8 kHz mono 16-bit) after what plays; {@link MediaListener#onPlaybackDone} when all are sent. */
    public void play(List<short[]> clips) {
        List<short[]> copy = List.copyOf(clips);
        beforeNextTick(() -> queue.addAll(copy));
    }

    /**
     * Drops what plays and what is queued (no {@link MediaListener#onPlaybackDone} for it), then plays {@code clips}:
     * {@link #stopPlayback()} and {@link #play} in one step on the loop, one task instead of two.
     */
    public void playInstead(List<short[]> clips) {
        List<short[]> copy = List.copyOf(clips);
        beforeNextTick(() -> {
            dropPlayback();
            queue.addAll(copy);
        });
    }

    /** Drops what plays and what is queued; no {@link MediaListener#onPlaybackDone}. */
    public void stopPlayback() {
        beforeNextTick(this::dropPlayback);
    }

    private void dropPlayback() {
        queue.clear();
        clip = null;
        clipOffset = 0;
    }

    /**
     * Starts recording what the caller sends (ending any recording in progress without a report). Ends with
     * {@link MediaListener#onRecordingEnded}: {@code MAX_LENGTH} after {@code maxMs} of audio, {@code SILENCE} after
     * {@code silenceMs} of silence (or of no audio packets at all), {@code STOPPED} on {@link #stopRecording()} or
     * {@link #close()}.
     */
    public void startRecording(long maxMs, long silenceMs) {
        SilenceDetector detector = new SilenceDetector(SilenceDetector.DEFAULT_THRESHOLD);
        Recording next = new Recording(maxMs, silenceMs, detector);
        onLoop(() -> {
            recording = next;
            recordingActive = true;
            if (reorder == null) {
                rxPcm = new short[MAX_FRAME_SAMPLES];
                reorder = new ReorderBuffer(REORDER_WINDOW_FRAMES, MAX_FRAME_SAMPLES);
            }
            reorder.reset();
            recordingSilenceNs = TimeUnit.MILLISECONDS.toNanos(silenceMs);
            lastAudioNs = System.nanoTime();
        });
    }

    /** Ends the recording in progress with {@code STOPPED}; nothing when none runs. */
    public void stopRecording() {
        onLoop(() -> endRecording(RecordingEnd.STOPPED, System.nanoTime()));
    }

    /**
     * Ends the session: a recording in progress is reported {@code STOPPED} first (a hang-up keeps the message,
     * SPEC MD-4), then the socket closes and its port goes back to the pool. Idempotent. Nothing is sent from now
     * on; without a recording in progress the socket closes before the loop's next tick, without waking it.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onLoopEvenClosed(() -> {
            endRecording(RecordingEnd.STOPPED, System.nanoTime());
            pacer.remove(this);
            dropPlayback();
            channel.close().addListener(f -> onClosed.accept(this));
        }, recordingActive);
    }

    /** The remote it sends to and accepts packets from, null before {@link #connect}. */
    InetSocketAddress remote() {
        return remote;
    }

    boolean recordingActive() {
        return recordingActive;
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "MediaSession[" + callId + " " + localHost + ":" + localPort + " -> " + remote + "]";
    }

    private void onLoop(Runnable action) {
        if (!closed.get()) {
            onLoopEvenClosed(action, true);
        }
    }

    /**
     * For what only the next frame depends on (what plays): runs {@code action} on the loop before its next tick,
     * without waking it. A wake-up costs the calling thread and the loop a system call each, per call.
     */
    private void beforeNextTick(Runnable action) {
        if (!closed.get()) {
            onLoopEvenClosed(action, false);
        }
    }

    /** @param wake whether to wake the loop now rather than run {@code action} before its next tick (20 ms at most) */
    private void onLoopEvenClosed(Runnable action, boolean wake) {
        if (pacer.loop().inEventLoop()) {
            action.run();
        } else if (wake) {
            pacer.loop().execute(action);
        } else {
            pacer.beforeNextTick(action);
        }
    }

    /** One pacer tick: media timeout, clock silence, the next frame. */
    void tick(long nowNs) {
        if (closed.get()) {
            return;
        }
        if (!direction.receives()) {
            lastHeardNs = nowNs; // on hold: the caller sends nothing, and the timeout counts from the resume
        } else if (!timedOut && nowNs - lastHeardNs >= mediaTimeoutNs) {
            timedOut = true;
            counters.mediaTimeouts.increment();
            safely(() -> listener.onMediaTimeout(nowNs));
        }
        if (recording != null && nowNs - lastAudioNs >= recordingSilenceNs) {
            recording.endBySilence();
            reportIfEnded(nowNs);
        }
        if (remote != null && direction.sends() && !closed.get()) { // a listener above may have closed it
            sendFrame(nowNs);
        }
    }

    /**
     * Builds the next frame in the pacer's buffer and sends it. A frame the socket does not take (its send buffer
     * full) is dropped and counted, and the stream goes on as after a loss on the network: the next frame has the
     * next sequence number and timestamp, so the far end sees the gap and the audio stays in real time.
     */
    private void sendFrame(long nowNs) {
        byte[] payload = pacer.payload;
        ByteBuf frame = pacer.frame;
        boolean audio = clip != null || (clip = queue.poll()) != null;
        boolean playbackDone = false;
        if (audio) {
            int n = Math.min(FRAME_SAMPLES, clip.length - clipOffset);
            for (int i = 0; i < n; i++) {
                payload[i] = codec.encode(clip[clipOffset + i]);
            }
            Arrays.fill(payload, n, FRAME_SAMPLES, codec.silence());
            clipOffset += n;
            if (clipOffset >= clip.length) {
                clip = null;
                clipOffset = 0;
                playbackDone = queue.isEmpty();
            }
        } else {
            Arrays.fill(payload, codec.silence());
        }
        boolean marker = markNext || (audio && !lastWasAudio);
        markNext = false;
        lastWasAudio = audio;
        frame.clear();
        RtpPacket.writeHeader(frame, marker, payloadType, sequence, timestamp, ssrc);
        frame.writeBytes(payload, 0, FRAME_SAMPLES);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp += FRAME_SAMPLES;
        if (send(pacer.frameView())) {
            counters.packetsOut.increment();
        } else {
            counters.sendOverruns.increment();
        }
        if (playbackDone) {
            safely(() -> listener.onPlaybackDone(nowNs));
        }
    }

    private boolean send(ByteBuffer datagram) {
        try {
            return socket.send(datagram, remote) > 0;
        } catch (IOException e) {
            LOG.debug("RTP frame of {} not sent: {}", this, e.toString());
            return false;
        }
    }

    private void received(DatagramPacket packet) {
        long nowNs = System.nanoTime();
        counters.packetsIn.increment();
        if (remote == null || !remote.equals(packet.sender())) {
            counters.wrongSource.increment();
            return;
        }
        ByteBuf buf = packet.content();
        if (!rx.decode(buf)) {
            counters.garbage.increment();
            return;
        }
        lastHeardNs = nowNs;
        if (rx.payloadType == payloadType) {
            receivedAudio(buf, nowNs);
        } else if (rx.payloadType == dtmfPayloadType) {
            receivedEvent(buf, nowNs);
        } else {
            counters.wrongPayloadType.increment();
        }
    }

    private void receivedAudio(ByteBuf buf, long nowNs) {
        if (rx.payloadLength > MAX_FRAME_SAMPLES || rx.payloadLength == 0) {
            counters.garbage.increment();
            return;
        }
        if (recording == null) {
            return;
        }
        lastAudioNs = nowNs;
        for (int i = 0; i < rx.payloadLength; i++) {
            rxPcm[i] = codec.decode(buf.getByte(rx.payloadIndex + i));
        }
        long before = reorder.lost() + reorder.late();
        reorder.offer(rx.sequence, rxPcm, rx.payloadLength, recording);
        counters.lateOrLost.add(reorder.lost() + reorder.late() - before);
        reportIfEnded(nowNs);
    }

    private void receivedEvent(ByteBuf buf, long nowNs) {
        if (rx.payloadLength < DtmfEvents.PAYLOAD_BYTES) {
            counters.garbage.increment();
            return;
        }
        char digit = dtmf.offer(rx.timestamp, buf, rx.payloadIndex);
        if (digit != 0) {
            counters.digits.increment();
            safely(() -> listener.onDigit(digit, nowNs));
        }
    }

    private void endRecording(RecordingEnd reason, long nowNs) {
        if (recording == null) {
            return;
        }
        reorder.flush(recording);
        if (reason == RecordingEnd.STOPPED) {
            recording.stop();
        }
        reportIfEnded(nowNs);
    }

    private void reportIfEnded(long nowNs) {
        Recording r = recording;
        if (r == null || r.end() == null) {
            return;
        }
        recording = null;
        recordingActive = false;
        short[] pcm = r.pcm();
        int durationMs = pcm.length * 1000 / Codec.CLOCK_RATE_HZ;
        safely(() -> listener.onRecordingEnded(r.end(), pcm, durationMs, nowNs));
    }

    private void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("media listener of {} failed", this, e);
        }
    }

    /** Netty's side: datagrams in, on the loop. */
    private final class RxHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            started();
            ctx.fireChannelRegistered();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            received(packet);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("media socket of {}: {}", MediaSession.this, cause.toString());
        }
    }
}
