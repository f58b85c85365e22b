package io.vmport.sccp.station;

/**
 * What a station session reports. Called on the session's event loop: return quickly; answer or hang up
 * through the session, from any thread.
 */
public interface StationListener {
    /** A listener that answers every call it is rung for and ignores the rest: a port device that always picks up. */
    static StationListener answeringEveryCall() {
        return new StationListener() {
            @Override
            public void registered(StationSession session) {
            }

            @Override
            public void unregistered(StationSession session, String reason) {
            }

            @Override
            public void ringing(StationSession session, IncomingCall call) {
                session.answer(call.callReference());
            }

            @Override
            public void callEnded(StationSession session, int callReference, String reason) {
            }
        };
    }

    /** The device registered with the phone system (SPEC CA-3): the hunt list may ring it. */
    void registered(StationSession session);

    /** The device is no longer registered: unregistered on command, the connection dropped, or rejected. */
    void unregistered(StationSession session, String reason);

    /** The phone system rings the device; answer with {@link StationSession#answer(int)} or let it ring. */
    void ringing(StationSession session, IncomingCall call);

    /** The device went off hook for {@code callReference}: the call is connected. */
    default void answered(StationSession session, int callReference) {
    }

    /**
     * A call rung on this device ended, whoever ended it: the phone system (caller hung up, hunt moved on), the
     * device ({@link StationSession#hangUp}), a lost connection, or an answer that came too late. Reported once
     * per call, and once more for each late answer.
     */
    void callEnded(StationSession session, int callReference, String reason);
}
