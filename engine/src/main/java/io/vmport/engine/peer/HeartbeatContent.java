package io.vmport.engine.peer;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ServerStatus;

import java.util.List;
import java.util.Objects;

/**
 * What a heartbeat says about its sender (ST-11): what the node's {@link HeartbeatSource} supplies and what the
 * receiver's {@link PeerListener} gets inside a {@link PeerHeartbeat}.
 *
 * @param status          the sender's own status
 * @param epoch           the newest epoch the sender knows (ST-13)
 * @param primaryHolder   the server the sender holds PRIMARY, or null when none is
 * @param takingCalls     the sender's taking-calls flag (CA-4)
 * @param callsInProgress calls up on the sender's ports
 * @param receiverStatus  the receiver's status in the sender's view, or null when the sender does not know it
 *                        ({@code Cluster.onPeerHeartbeat} takes it as {@code selfSeenByPeer})
 * @param portSnapshot    the deltas start a full snapshot of the sender's calls: the receiver forgets every call
 *                        it had from the sender before applying them (sent after each (re)connection)
 * @param mergeDone       the sender is SPLIT_BRAIN_RECOVERY and its own split-brain merge is done (ST-12): the
 *                        publisher leaves recovery once both sides' merges are
 * @param deltas          the sender's calls changed since the previous heartbeat, at most
 *                        {@value PeerWire#MAX_DELTAS} and {@value PeerWire#MAX_DELTA_BYTES} bytes on the wire
 */
public record HeartbeatContent(ServerStatus status, long epoch, ServerName primaryHolder, boolean takingCalls,
                               int callsInProgress, ServerStatus receiverStatus, boolean portSnapshot,
                               boolean mergeDone, List<PortDelta> deltas) {

    /** The most deltas one heartbeat carries. */
    public static final int MAX_DELTAS = PeerWire.MAX_DELTAS;
    /** The most bytes the deltas of one heartbeat take on the wire ({@link PortDelta#wireBytes()} summed). */
    public static final int MAX_DELTA_BYTES = PeerWire.MAX_DELTA_BYTES;

    /** Without a snapshot mark, merge not done. */
    public HeartbeatContent(ServerStatus status, long epoch, ServerName primaryHolder, boolean takingCalls,
                            int callsInProgress, ServerStatus receiverStatus, List<PortDelta> deltas) {
        this(status, epoch, primaryHolder, takingCalls, callsInProgress, receiverStatus, false, false, deltas);
    }

    /** Merge not done. */
    public HeartbeatContent(ServerStatus status, long epoch, ServerName primaryHolder, boolean takingCalls,
                            int callsInProgress, ServerStatus receiverStatus, boolean portSnapshot,
                            List<PortDelta> deltas) {
        this(status, epoch, primaryHolder, takingCalls, callsInProgress, receiverStatus, portSnapshot, false, deltas);
    }

    public HeartbeatContent {
        Objects.requireNonNull(status, "status");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, not " + epoch);
        }
        if (callsInProgress < 0) {
            throw new IllegalArgumentException("callsInProgress must be >= 0, not " + callsInProgress);
        }
        deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
        if (deltas.size() > MAX_DELTAS) {
            throw new IllegalArgumentException("deltas: at most " + MAX_DELTAS + " per heartbeat, not "
                    + deltas.size());
        }
        int bytes = 0;
        for (PortDelta d : deltas) {
            bytes += d.wireBytes();
        }
        if (bytes > MAX_DELTA_BYTES) {
            throw new IllegalArgumentException("deltas: at most " + MAX_DELTA_BYTES + " bytes per heartbeat, not "
                    + bytes + " (" + deltas.size() + " deltas)");
        }
    }

    /** Without the deltas themselves, which may be thousands: their count only. */
    @Override
    public String toString() {
        return status + " epoch " + epoch + ", primary " + (primaryHolder == null ? "none" : primaryHolder.configName())
                + ", " + (takingCalls ? "taking calls" : "not taking calls") + ", " + callsInProgress
                + " call(s), sees receiver " + (receiverStatus == null ? "unknown" : receiverStatus) + ", "
                + deltas.size() + " delta(s)" + (portSnapshot ? " starting a snapshot" : "")
                + (mergeDone ? ", split-brain merge done" : "");
    }
}
