package io.vmport.engine.voice;

import io.vmport.engine.conversation.AudioClip;
import io.vmport.engine.conversation.CallInfo;
import io.vmport.engine.conversation.Clip;
import io.vmport.engine.conversation.Conversation;
import io.vmport.engine.conversation.ConversationOutput;
import io.vmport.engine.conversation.ConversationState;
import io.vmport.engine.conversation.Prompt;
import io.vmport.engine.conversation.Prompts;
import io.vmport.engine.conversation.RecordingEnd;
import io.vmport.engine.conversation.Wav;
import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaDirection;
import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.pipeline.ConversationChange;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One answered call's voice (SPEC MD-1 to MD-6): its own media session joined to its {@link Conversation}. What the
 * session hears (digits, the end of a prompt, the end of a recording) drives the conversation; what the
 * conversation asks (prompts, the beep, recording, hang-up) goes to the session or to the call's signalling; each
 * change of its state goes to the port monitor.
 *
 * <p>Threads: the conversation may block on the message store, so it never runs on a media event loop. It runs on
 * its call's lane, one single-threaded executor of {@link VoicePorts}' few ({@link VoiceLane}), which also ticks it every
 * {@value #TICK_MS} ms for its digit timeouts. Every media event and every command from the call's signalling is
 * handed to the lane, so the conversation sees one event at a time, in order.
 *
 * <p>The end: the call's end ({@link #ended}) tells the conversation the caller hung up, which stops a recording in
 * progress (the message is kept, MD-4), then closes the session: the session reports that recording before it
 * closes, and the lane stores it.
 */
public final class VoiceCall implements MediaListener, ConversationOutput {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceCall.class);
    static final long TICK_MS = 100;

    private final VoicePorts ports;
    private final int portIndex;
    private final String callId;
    private final CallInfo info;
    private final Runnable hangUp;
    private final VoiceLane lane;
    private final Conversation conversation;
    private MediaSession session;
    // on the lane
    /** Where the call is in its lane's list of ticking calls; -1 when not in it. */
    int laneSlot = -1;
    private boolean started;
    private boolean over;
    /** When the last prompt list was given to the session: a playback done from before it is an older list's. */
    private long playIssuedNs = System.nanoTime();

    VoiceCall(VoicePorts ports, int portIndex, String callId, CallInfo info, Runnable hangUp, VoiceLane lane) {
        this.ports = ports;
        this.portIndex = portIndex;
        this.callId = callId;
        this.info = info;
        this.hangUp = hangUp;
        this.lane = lane;
        this.conversation = new Conversation(ports.conversationSettings(), ports.store(), this);
    }

    void attach(MediaSession s) {
        this.session = s;
    }

    public String callId() {
        return callId;
    }

    public int portIndex() {
        return portIndex;
    }

    /** The UDP port of the call's session: what the SDP answer (or OpenReceiveChannelAck) names. */
    public int localPort() {
        return session.localPort();
    }

    /** The address the session is bound on. */
    public String localHost() {
        return session.localHost();
    }

    /** Where to send RTP and what to expect: from the SDP offer (SIP) or StartMediaTransmission (SCCP). */
    public void connect(InetSocketAddress remote, Codec codec, int dtmfPayloadType) {
        session.connect(remote, codec, dtmfPayloadType);
    }

    /**
     * As {@link #connect(InetSocketAddress, Codec, int)}, with the codec's payload type in this call (a dynamic one
     * from an rtpmap) and the direction (hold and resume by re-INVITE); may be called again, e.g. for a new address.
     */
    public void connect(InetSocketAddress remote, Codec codec, int payloadType, int dtmfPayloadType,
                        MediaDirection direction) {
        session.connect(remote, codec, payloadType, dtmfPayloadType, direction);
    }

    /** The call is answered and its media connected: the conversation begins (MD-3). Once; later calls do nothing. */
    public void start() {
        onLane(() -> {
            if (started || over) {
                return;
            }
            started = true;
            conversation.start(info, System.nanoTime());
            lane.add(this);
        });
    }

    /** On the lane, every {@value #TICK_MS} ms while started: the conversation's digit timeouts. */
    void tick(long nowNs) {
        try {
            conversation.tick(nowNs);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** The call is over (BYE, CANCEL, on hook, failure): the caller has hung up; the session closes. */
    void ended() {
        onLane(() -> {
            if (over) {
                return;
            }
            over = true;
            lane.remove(this);
            if (started) {
                conversation.hangUp(System.nanoTime()); // a recording in progress is stopped and reported first
            }
            session.close();
        });
    }

    // ---- MediaListener: on the session's event loop; handed to the lane

    @Override
    public void onDigit(char digit, long nowNs) {
        onLane(() -> {
            if (started) {
                conversation.digit(digit, nowNs);
            }
        });
    }

    @Override
    public void onPlaybackDone(long nowNs) {
        onLane(() -> {
            if (started && nowNs - playIssuedNs >= 0) {
                conversation.playbackDone(nowNs);
            }
        });
    }

    @Override
    public void onRecordingEnded(io.vmport.engine.media.RecordingEnd reason, short[] pcm, int durationMs,
                                 long nowNs) {
        onLane(() -> {
            if (conversation.state() != ConversationState.RECORDING) {
                LOG.warn("call {} on port {}: a recording of {} ms ended ({}) in conversation state {}; dropped",
                        callId, portIndex, durationMs, reason, conversation.state());
                return;
            }
            conversation.recordingEnded(why(reason), Wav.encode(pcm, pcm.length), durationMs, nowNs);
        });
    }

    @Override
    public void onMediaTimeout(long nowNs) {
        LOG.info("call {} on port {}: no RTP for the media timeout; hanging up (MD-5)", callId, portIndex);
        onLane(hangUp);
    }

    /** Runs {@code task} on the call's lane. */
    private void onLane(Runnable task) {
        lane.executor().execute(safely(task));
    }

    /** {@code task}, its failure logged with the call so that it neither stops the lane nor goes unseen. */
    private Runnable safely(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                failed(e);
            }
        };
    }

    /** A failure on the lane, logged with the call so that it neither stops the lane nor goes unseen. */
    private void failed(RuntimeException e) {
        LOG.warn("call {} on port {} in conversation state {} (mailbox {}): {}", callId, portIndex,
                conversation.state(), conversation.mailbox(), e.toString(), e);
    }

    /** Media's reasons in the conversation's words: a stop is the caller's {@code #}, unless the call ended. */
    private RecordingEnd why(io.vmport.engine.media.RecordingEnd reason) {
        return switch (reason) {
            case STOPPED -> over ? RecordingEnd.HANGUP : RecordingEnd.HASH;
            case SILENCE -> RecordingEnd.SILENCE;
            case MAX_LENGTH -> RecordingEnd.MAX_LENGTH;
        };
    }

    // ---- ConversationOutput: on the lane, inside a conversation method

    @Override
    public void play(List<Clip> clips) {
        List<short[]> audio = new ArrayList<>(clips.size());
        for (Clip clip : clips) {
            audio.add(samples(clip));
        }
        playIssuedNs = System.nanoTime();
        session.playInstead(audio);
    }

    @Override
    public void stopPlayback() {
        playIssuedNs = System.nanoTime();
        session.stopPlayback();
    }

    @Override
    public void startRecording(long maxMs, long silenceMs) {
        session.startRecording(maxMs, silenceMs);
    }

    @Override
    public void stopRecording() {
        session.stopRecording();
    }

    @Override
    public void hangUp() {
        hangUp.run();
    }

    @Override
    public void stateChanged(ConversationState state, String mailbox, long nowNs) {
        if (state != ConversationState.ENDED) {
            ports.conversationChanged(portIndex, callId, new ConversationChange(state.name(), mailbox));
        }
    }

    private static short[] samples(Clip clip) {
        if (clip instanceof Prompt p) {
            return Prompts.shared().samples(p);
        }
        return Wav.decode(((AudioClip) clip).wav());
    }

    @Override
    public String toString() {
        return "VoiceCall[" + callId + ", port " + portIndex + "]";
    }
}
