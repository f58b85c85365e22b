package io.vmport.engine.peer;

import io.vmport.config.ClusterSettings;
import io.vmport.config.ServerName;

import java.util.Objects;

/**
 * The first frame each side sends on a new connection (HELLO).
 *
 * @param protocolVersion          the sender's wire version; a peer with another one is refused
 * @param sender                   the server the sender runs
 * @param sessionId                random per link start: a new value means the peer process restarted
 * @param epoch                    the newest epoch the sender knows (ST-13)
 * @param remoteHeartbeatTimeoutMs how long the sender asks the receiver to wait for it before calling it silent
 *                                 (ST-11: the sender's remote timeout)
 */
public record PeerHello(int protocolVersion, ServerName sender, long sessionId, long epoch,
                        long remoteHeartbeatTimeoutMs) implements PeerMessage {

    public PeerHello {
        Objects.requireNonNull(sender, "sender");
        if (protocolVersion < 1 || protocolVersion > 0xFFFF) {
            throw new IllegalArgumentException("protocolVersion must be 1..65535, not " + protocolVersion);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, not " + epoch);
        }
        if (remoteHeartbeatTimeoutMs < 1 || remoteHeartbeatTimeoutMs > ClusterSettings.MAX_HEARTBEAT_TIMEOUT_MS) {
            throw new IllegalArgumentException("remoteHeartbeatTimeoutMs must be 1.."
                    + ClusterSettings.MAX_HEARTBEAT_TIMEOUT_MS + ", not " + remoteHeartbeatTimeoutMs);
        }
    }
}
