package io.vmport.engine.peer;

import io.vmport.config.ClusterSettings;
import io.vmport.config.HostPort;
import io.vmport.config.ServerName;

import java.util.Objects;

/**
 * How a {@link PeerLink} runs. Checked on construction: a bad value is refused with a message naming it.
 *
 * @param self                     the server this node runs
 * @param listen                   this node's end: where the link accepts the peer's connections
 * @param peer                     the other node's end: where the link dials
 * @param heartbeatIntervalMs      how often heartbeats are sent (ST-11)
 * @param localHeartbeatTimeoutMs  how long this node waits for its peer (ST-11)
 * @param remoteHeartbeatTimeoutMs how long this node asks its peer to wait for it, sent in HELLO (ST-11)
 * @param heartbeatTrace           log every heartbeat sent and received at INFO (ST-11)
 * @param actionTimeoutMs          how long {@link PeerLink#sendAction} waits for the answer
 */
public record PeerLinkConfig(ServerName self, HostPort listen, HostPort peer, long heartbeatIntervalMs,
                             long localHeartbeatTimeoutMs, long remoteHeartbeatTimeoutMs, boolean heartbeatTrace,
                             long actionTimeoutMs) {

    public static final long DEFAULT_ACTION_TIMEOUT_MS = 5_000;
    public static final long MAX_ACTION_TIMEOUT_MS = 600_000;

    public PeerLinkConfig {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(peer, "peer");
        if (listen.equals(peer)) {
            throw new IllegalArgumentException("listen and peer must differ (the link would dial itself), both are "
                    + listen);
        }
        range("heartbeatIntervalMs", heartbeatIntervalMs, ClusterSettings.MIN_HEARTBEAT_INTERVAL_MS,
                ClusterSettings.MAX_HEARTBEAT_INTERVAL_MS);
        range("localHeartbeatTimeoutMs", localHeartbeatTimeoutMs, 2 * heartbeatIntervalMs,
                ClusterSettings.MAX_HEARTBEAT_TIMEOUT_MS);
        range("remoteHeartbeatTimeoutMs", remoteHeartbeatTimeoutMs, 2 * heartbeatIntervalMs,
                ClusterSettings.MAX_HEARTBEAT_TIMEOUT_MS);
        range("actionTimeoutMs", actionTimeoutMs, 1, MAX_ACTION_TIMEOUT_MS);
    }

    /** The link of {@code self}, with the heartbeat settings of {@code settings} and the default action timeout. */
    public static PeerLinkConfig of(ServerName self, HostPort listen, HostPort peer, ClusterSettings settings) {
        return new PeerLinkConfig(self, listen, peer, settings.heartbeatIntervalMs(),
                settings.localHeartbeatTimeoutMs(), settings.remoteHeartbeatTimeoutMs(), settings.heartbeatTrace(),
                DEFAULT_ACTION_TIMEOUT_MS);
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be " + min + ".." + max + ", not " + value);
        }
    }
}
