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

    /**
     * The phone system asks for a receive channel for the answered call {@code callReference} (OpenReceiveChannel,
     * SPEC MD-1): open the call's media session and return where it receives; the session answers
     * OpenReceiveChannelAck with it. {@code payload} is {@code Skinny.PAYLOAD_G711_ALAW_64K} or
     * {@code PAYLOAD_G711_ULAW_64K}. May block briefly (a UDP bind). Null means this listener has no media: the
     * session acknowledges with its local address and {@link StationSettings#mediaPort()}, as a device without a
     * media plane. A thrown exception (no port free) is acknowledged with an error status.
     */
    default MediaEndpoint openMedia(StationSession session, int callReference, int payload) {
        return null;
    }

    /**
     * StartMediaTransmission for {@code callReference}: where and how to send. May come again for the same call
     * with a new address.
     */
    default void startMedia(StationSession session, int callReference, MediaStart start) {
    }

    /**
     * The call's media ends: StopMediaTransmission or CloseReceiveChannel from the phone system, or the call
     * ended (on hook either side, connection lost). Reported once per opened channel, before {@link #callEnded}.
     */
    default void closeMedia(StationSession session, int callReference, String reason) {
    }
}
