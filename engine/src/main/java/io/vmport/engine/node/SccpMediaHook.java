package io.vmport.engine.node;

import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaSession;

/**
 * Where the conversation of an SCCP call attaches to its media (issue 13): called once per call, on the
 * device's station loop, when StartMediaTransmission has connected the call's session. The returned listener
 * gets the session's events from then on (null: none); the session is closed by the SCCP side at the end of the
 * call, never by the hook.
 */
@FunctionalInterface
interface SccpMediaHook {
    /** No conversation: the session sends comfort silence until the call ends. */
    SccpMediaHook NONE = (portIndex, callId, session) -> null;

    MediaListener onMediaReady(int portIndex, String callId, MediaSession session);
}
