package io.vmport.sccp.station;

/**
 * Where one port device stands with the phone system. Every change goes through
 * {@code StationSession.transition}, which checks it against {@link #mayBecome}.
 * <pre>
 *  STOPPED -start-> CONNECTING -connected-> REGISTERING -RegisterAck-> REGISTERED -RING_IN-> RINGING -OffHook-> IN_CALL
 *                       ^                        |                      ^   |                  |                 |
 *                       |      (drop, reject,    v                      |   +-- on hook / caller gone ------+
 *                       +------ timeout) -- BACKING_OFF                 |
 *  REGISTERED -unregister-> UNREGISTERING -UnregisterAck-> UNREGISTERED -register-> CONNECTING
 * </pre>
 */
public enum StationState {
    /** Not started, or stopped for good. */
    STOPPED,
    /** Opening the TCP connection to the phone system. */
    CONNECTING,
    /** Connected; Register sent, waiting for RegisterAck. */
    REGISTERING,
    /** Registered and idle: the hunt list may ring it. */
    REGISTERED,
    /** Rung: waiting for the listener to answer. */
    RINGING,
    /** Off hook in a call. */
    IN_CALL,
    /** Unregister sent on command (SPEC CA-3, CA-4), waiting for UnregisterAck. */
    UNREGISTERING,
    /** Unregistered on command: the hunt list skips it until {@code register()}. */
    UNREGISTERED,
    /** The connection dropped or registration failed: waiting to connect again. */
    BACKING_OFF;

    /** Whether a session in this state may change to {@code to}. */
    public boolean mayBecome(StationState to) {
        if (to == STOPPED) {
            return this != STOPPED;
        }
        switch (this) {
            case STOPPED: return to == CONNECTING;
            case CONNECTING: return to == REGISTERING || to == BACKING_OFF || to == UNREGISTERED;
            case REGISTERING: return to == REGISTERED || to == BACKING_OFF || to == UNREGISTERED;
            case REGISTERED: return to == RINGING || to == UNREGISTERING || to == BACKING_OFF;
            case RINGING: return to == IN_CALL || to == REGISTERED || to == UNREGISTERING || to == BACKING_OFF;
            case IN_CALL: return to == REGISTERED || to == BACKING_OFF;
            case UNREGISTERING: return to == UNREGISTERED;
            case UNREGISTERED: return to == CONNECTING;
            case BACKING_OFF: return to == CONNECTING || to == UNREGISTERED;
            default: return false;
        }
    }

    /** Whether the phone system counts the device as registered (it may be rung or is in a call). */
    public boolean isRegistered() {
        return this == REGISTERED || this == RINGING || this == IN_CALL;
    }
}
