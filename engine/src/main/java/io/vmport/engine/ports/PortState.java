package io.vmport.engine.ports;

/** The live state of one voice-messaging port (SPEC PT-2). */
public enum PortState {
    /** Free, and its server takes calls: the next call may land here. */
    IDLE,
    /** Offered a call that is not answered yet (SIP INVITE before ACK, SCCP device ringing). */
    RINGING,
    /** In a connected call. */
    IN_CALL,
    /** In a call on a server that no longer takes new calls (Stop Taking Calls, or a status that answers none). */
    DRAINING,
    /** Takes no call: its server does not answer calls, the port is disabled, or its SCCP device is unregistered. */
    OUT_OF_SERVICE;

    private static final PortState[] VALUES = values();

    static PortState ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
