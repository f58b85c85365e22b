package io.vmport.engine.voice;

import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.media.RecordingEnd;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One answered call's voice: its own media session (SPEC MD-1). The bridge {@link #connect connects} it to where
 * the caller receives RTP; no RTP from the caller for the media timeout hangs the call up (MD-5).
 */
public final class VoiceCall implements MediaListener {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceCall.class);

    private final int portIndex;
    private final String callId;
    private final Runnable hangUp;
    private MediaSession session;

    VoiceCall(int portIndex, String callId, Runnable hangUp) {
        this.portIndex = portIndex;
        this.callId = callId;
        this.hangUp = hangUp;
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

    /** The call is over: the session closes and its port is free again. */
    void ended() {
        session.close();
    }

    @Override
    public void onDigit(char digit, long nowNs) {
    }

    @Override
    public void onPlaybackDone(long nowNs) {
    }

    @Override
    public void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs) {
    }

    @Override
    public void onMediaTimeout(long nowNs) {
        LOG.info("call {} on port {}: no RTP for the media timeout; hanging up (MD-5)", callId, portIndex);
        hangUp.run();
    }

    @Override
    public String toString() {
        return "VoiceCall[" + callId + ", port " + portIndex + "]";
    }
}
