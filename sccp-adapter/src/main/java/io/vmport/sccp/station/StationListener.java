package io.vmport.sccp.station;

/**
 * What a station session reports. Called on the session's event loop: return quickly; answer or hang up
 * through the session, from any thread.
 */
public interface StationListener {
    /** The device registered with the phone system (SPEC CA-3): the hunt list may ring it. */
    void registered(StationSession session);

    /** The device is no longer registered: unregistered on command, the connection dropped, or rejected. */
    void unregistered(StationSession session, String reason);

    /** The phone system rings the device; answer with {@link StationSession#answer(int)} or let it ring. */
    void ringing(StationSession session, IncomingCall call);

    /** A call rung or answered on this device ended without the device going on hook itself. */
    void callEnded(StationSession session, int callReference, String reason);
}
