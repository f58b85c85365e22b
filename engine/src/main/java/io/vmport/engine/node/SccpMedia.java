package io.vmport.engine.node;

import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaException;
import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaPlane;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.media.RecordingEnd;
import io.vmport.sccp.codec.Skinny;
import io.vmport.sccp.station.IncomingCall;
import io.vmport.sccp.station.MediaEndpoint;
import io.vmport.sccp.station.MediaStart;
import io.vmport.sccp.station.StationSession;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of one SCCP port device's calls (SPEC MD-1, MD-5): OpenReceiveChannel opens a session of the node's
 * {@link MediaPlane} (its address goes into the Ack; no plane running yet, or no free port, refuses the channel),
 * StartMediaTransmission connects it to where the phone system said, and StopMediaTransmission,
 * CloseReceiveChannel, on hook or the end of the call close it. Once connected the {@link SccpMediaHook} attaches
 * the call's conversation, and it is told when the media closes. No RTP for the media timeout puts the device on
 * hook (MD-5).
 * <p>
 * Called on the device's station loop (open blocks for the UDP bind there, never on a media loop); the media
 * events arrive on the session's media loop.
 */
final class SccpMedia {
    private static final Logger LOG = LoggerFactory.getLogger(SccpMedia.class);

    private final Supplier<MediaPlane> plane;
    private final SccpMediaHook hook;
    private final int portIndex;
    /** The call whose channel is open; one at a time on a device. Written on the station loop only. */
    private volatile CallMedia current;

    /** @param plane the node's media plane, read at each OpenReceiveChannel: null while it does not run */
    SccpMedia(Supplier<MediaPlane> plane, SccpMediaHook hook, int portIndex) {
        if (plane == null || hook == null) {
            throw new IllegalArgumentException("plane and hook are required for port " + portIndex);
        }
        this.plane = plane;
        this.hook = hook;
        this.portIndex = portIndex;
    }

    /**
     * OpenReceiveChannel: a session for {@code callId}; throws MediaException when the plane does not run or no port
     * is free.
     *
     * @param incoming the ringing call's parties (for the conversation), or null when not known
     */
    MediaEndpoint open(StationSession station, int callReference, String callId, IncomingCall incoming) {
        CallMedia old = current;
        if (old != null) {
            close(old.callReference, "a new receive channel");
        }
        MediaPlane p = plane.get();
        if (p == null) {
            throw new MediaException("port " + portIndex + ": no media plane runs for call " + callId);
        }
        CallMedia call = new CallMedia(station, callReference, callId, incoming);
        call.session = p.open(callId, call);
        current = call;
        try {
            return new MediaEndpoint(InetAddress.getByName(call.session.localHost()), call.session.localPort());
        } catch (UnknownHostException | IllegalArgumentException e) {
            close(callReference, "no IPv4 address to name");
            throw new IllegalStateException("media host " + call.session.localHost() + " is no IPv4 address an"
                    + " SCCP OpenReceiveChannelAck can name", e);
        }
    }

    /** StartMediaTransmission: send there; the first one attaches the conversation. */
    void start(int callReference, MediaStart start) {
        CallMedia call = current;
        if (call == null || call.callReference != callReference) {
            LOG.debug("port {}: StartMediaTransmission for call {} with no session", portIndex, callReference);
            return;
        }
        call.session.connect(start.remote(),
                start.payload() == Skinny.PAYLOAD_G711_ALAW_64K ? Codec.PCMA : Codec.PCMU, start.dtmfPayloadType());
        if (!call.attached) {
            call.attached = true;
            call.conversation = hook.onMediaReady(portIndex, call.callId, call.session, call.incoming,
                    () -> call.station.hangUp(call.callReference));
        }
    }

    /** Stop, Close, on hook, call ended: the session of {@code callReference} is closed (idempotent). */
    void close(int callReference, String why) {
        CallMedia call = current;
        if (call != null && call.callReference == callReference) {
            current = null;
            LOG.debug("port {}: media of {} closed: {}", portIndex, call.callId, why);
            if (call.attached) {
                hook.onMediaClosed(portIndex, call.callId); // the conversation hears the hang-up first (MD-4)
            }
            call.session.close();
        }
    }

    /** The session of the call in progress, or null. For tests and the port monitor. */
    MediaSession session() {
        CallMedia call = current;
        return call == null ? null : call.session;
    }

    /** One call's media events: the conversation's once attached; a media timeout goes on hook (MD-5). */
    private final class CallMedia implements MediaListener {
        final StationSession station;
        final int callReference;
        final String callId;
        final IncomingCall incoming;
        MediaSession session;
        boolean attached;
        volatile MediaListener conversation;

        CallMedia(StationSession station, int callReference, String callId, IncomingCall incoming) {
            this.station = station;
            this.callReference = callReference;
            this.callId = callId;
            this.incoming = incoming;
        }

        @Override
        public void onDigit(char digit, long nowNs) {
            MediaListener c = conversation;
            if (c != null) {
                c.onDigit(digit, nowNs);
            }
        }

        @Override
        public void onPlaybackDone(long nowNs) {
            MediaListener c = conversation;
            if (c != null) {
                c.onPlaybackDone(nowNs);
            }
        }

        @Override
        public void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs) {
            MediaListener c = conversation;
            if (c != null) {
                c.onRecordingEnded(reason, pcm, durationMs, nowNs);
            }
        }

        @Override
        public void onMediaTimeout(long nowNs) {
            LOG.info("port {}: no RTP on call {} for the media timeout; on hook (MD-5)", portIndex, callId);
            MediaListener c = conversation;
            if (c != null) {
                c.onMediaTimeout(nowNs);
            }
            station.hangUp(callReference);
        }
    }
}
