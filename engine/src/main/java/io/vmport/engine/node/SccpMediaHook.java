package io.vmport.engine.node;

import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaSession;
import io.vmport.sccp.station.IncomingCall;

/**
 * Where the conversation of an SCCP call attaches to its media (issue 13): {@link #onMediaReady} once per call, on
 * the device's station loop, when StartMediaTransmission has connected the call's session; {@link #onMediaClosed}
 * when that call's media closes (on hook, CloseReceiveChannel, the end of the call), before the SCCP side closes
 * the session, so that a recording in progress is kept as the caller's hang-up (MD-4). The listener
 * {@code onMediaReady} returns gets the session's events from then on (null: none).
 */
interface SccpMediaHook {
    /** No conversation: the session sends comfort silence until the call ends. */
    SccpMediaHook NONE = (portIndex, callId, session, incoming, hangUp) -> null;

    /**
     * @param incoming the call's parties as the phone system rang them, or null when not known
     * @param hangUp   puts the device on hook (the conversation is over, or no RTP came: MD-5); any thread
     */
    MediaListener onMediaReady(int portIndex, String callId, MediaSession session, IncomingCall incoming,
                               Runnable hangUp);

    /** The media of {@code callId} closes; called only after {@link #onMediaReady} for it. */
    default void onMediaClosed(int portIndex, String callId) {
    }
}
