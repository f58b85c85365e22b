package io.vmport.engine.node;

import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.voice.VoicePorts;
import io.vmport.sccp.station.IncomingCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins an SCCP call's media to the node's voice (SPEC MD-1, MD-3): once StartMediaTransmission connected the
 * session, {@link VoicePorts#attach} starts the call's conversation with the parties the phone system rang the
 * device with; when the media closes, {@link VoicePorts#ended} tells it the caller hung up.
 */
final class SccpVoiceHook implements SccpMediaHook {
    private static final Logger LOG = LoggerFactory.getLogger(SccpVoiceHook.class);
    private final VoicePorts voice;

    SccpVoiceHook(VoicePorts voice) {
        if (voice == null) {
            throw new IllegalArgumentException("voice is required");
        }
        this.voice = voice;
    }

    @Override
    public MediaListener onMediaReady(int portIndex, String callId, MediaSession session, IncomingCall incoming,
                                      Runnable hangUp) {
        LOG.debug("port {}: call {} ({}) has media on {}:{}; its conversation starts", portIndex, callId, incoming,
                session.localHost(), session.localPort());
        return incoming == null
                ? voice.attach(portIndex, callId, session, null, null, null, hangUp)
                : voice.attach(portIndex, callId, session, incoming.calling(), incoming.redirecting(),
                        incoming.called(), hangUp);
    }

    @Override
    public void onMediaClosed(int portIndex, String callId) {
        voice.ended(portIndex, callId);
    }
}
