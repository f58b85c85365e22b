package io.vmport.engine.peer;

import io.vmport.engine.calls.CallReason;
import io.vmport.engine.ports.PortState;

import java.util.Objects;

/**
 * The call a node has on one port, as its heartbeats tell the peer (ST-11, PM-1): the peer shows it in its port
 * monitor, so that either node's {@code /api/ports} shows both servers' calls. A delta with {@code state} IDLE and
 * no call says the sender no longer has a call on that port. Texts longer than {@value PeerWire#MAX_DELTA_TEXT_BYTES}
 * UTF-8 bytes are cut (they are for display only).
 *
 * @param port        the port index in the port plan
 * @param state       the port's live state on the sender (RINGING, IN_CALL, DRAINING; IDLE when the call ended)
 * @param callId      the call on it, or null
 * @param caller      the calling number, or null
 * @param called      the called number, or null
 * @param redirecting the redirecting number, or null
 * @param reason      why the call came to voice messaging, or null
 * @param ageMs       how long the port had been in {@code state} when the heartbeat was built (the two nodes'
 *                    clocks are not compared; the receiver takes its arrival time minus this)
 */
public record PortDelta(int port, PortState state, String callId, String caller, String called, String redirecting,
                        CallReason reason, long ageMs) {

    public PortDelta {
        if (port < 0) {
            throw new IllegalArgumentException("port must be >= 0, not " + port);
        }
        Objects.requireNonNull(state, "state");
        if (ageMs < 0 || ageMs > PeerWire.MAX_AGE_MS) {
            throw new IllegalArgumentException("ageMs must be 0.." + PeerWire.MAX_AGE_MS + ", not " + ageMs);
        }
        callId = PeerWire.clip8(callId);
        caller = PeerWire.clip8(caller);
        called = PeerWire.clip8(called);
        redirecting = PeerWire.clip8(redirecting);
    }

    /** The sender no longer has a call on {@code port}. */
    public static PortDelta ended(int port) {
        return new PortDelta(port, PortState.IDLE, null, null, null, null, null, 0);
    }

    /** Whether this delta says the sender has a call on the port. */
    public boolean hasCall() {
        return callId != null || state == PortState.RINGING || state == PortState.IN_CALL;
    }

    /** The bytes this delta takes in a HEARTBEAT frame (see {@link PeerFrameDecoder}). */
    public int wireBytes() {
        return PeerWire.DELTA_FIXED_BYTES + PeerWire.utf8Length(callId) + PeerWire.utf8Length(caller)
                + PeerWire.utf8Length(called) + PeerWire.utf8Length(redirecting);
    }
}
