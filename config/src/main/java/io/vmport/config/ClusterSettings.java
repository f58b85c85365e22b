package io.vmport.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster-wide settings (SPEC section 2 and 3), stored in the shared database (SPEC CL-2). Immutable and
 * validated on construction: a bad value is refused with a {@link ConfigException} naming it.
 *
 * @param autoFailover                 ST-8: the SECONDARY takes over from a silent PRIMARY (default on)
 * @param autoFailback                 ST-9: the publisher takes PRIMARY back automatically (default on)
 * @param failbackHoldDownMs           ST-9: how long the publisher must stay healthy before failback
 * @param deactivateOnBacklog          ST-10: deactivate a SECONDARY whose replication backlog passes the limit (default off)
 * @param replicationBacklogLimit      ST-10: the backlog (pending changes) that triggers it
 * @param absorbPeerPortsOnFailover    PT-3: the survivor also uses the failed server's SIP port count (default off)
 * @param huntOrder                    PT-4: order in which a server picks its idle ports
 * @param heartbeatIntervalMs          ST-11: how often heartbeats are sent
 * @param localHeartbeatTimeoutMs      ST-11: how long this node waits for its peer
 * @param remoteHeartbeatTimeoutMs     ST-11: how long this node asks its peer to wait for it
 * @param heartbeatTrace               ST-11: log every heartbeat
 * @param networkCheck                 ST-8: addresses a SECONDARY must reach before it takes over
 * @param maxMessageSeconds            MD-4: a recording ends at this length (default 300)
 * @param silenceSeconds               MD-4: a recording ends after this much silence (default 10)
 * @param minMessageSeconds            MD-4: a shorter recording is discarded (default 1; 0 keeps every one)
 * @param mediaTimeoutSeconds          MD-5: a call that sends no RTP this long is ended (default 30)
 * @param mwiTarget                    MW-1: where the PRIMARY sends MWI NOTIFYs (UDP); empty: no MWI (default)
 * @param mwiSendsPerSecond            MW-3: MWI NOTIFYs the PRIMARY starts per second at most, which paces the state
 *                                     of every mailbox it sends on becoming PRIMARY (default 2,000: 10,000
 *                                     mailboxes in 5 s)
 */
public record ClusterSettings(
        boolean autoFailover,
        boolean autoFailback,
        long failbackHoldDownMs,
        boolean deactivateOnBacklog,
        long replicationBacklogLimit,
        boolean absorbPeerPortsOnFailover,
        HuntOrder huntOrder,
        long heartbeatIntervalMs,
        long localHeartbeatTimeoutMs,
        long remoteHeartbeatTimeoutMs,
        boolean heartbeatTrace,
        List<String> networkCheck,
        long maxMessageSeconds,
        long silenceSeconds,
        long minMessageSeconds,
        long mediaTimeoutSeconds,
        Optional<HostPort> mwiTarget,
        int mwiSendsPerSecond) {

    public static final long MIN_HEARTBEAT_INTERVAL_MS = 10;
    public static final long MAX_HEARTBEAT_INTERVAL_MS = 60_000;
    public static final long MAX_HEARTBEAT_TIMEOUT_MS = 600_000;
    public static final long MAX_FAILBACK_HOLD_DOWN_MS = 86_400_000;
    public static final long DEFAULT_MAX_MESSAGE_SECONDS = 300;
    public static final long DEFAULT_SILENCE_SECONDS = 10;
    public static final long DEFAULT_MIN_MESSAGE_SECONDS = 1;
    public static final long DEFAULT_MEDIA_TIMEOUT_SECONDS = 30;
    /**
     * MD-4: 15 minutes. A message is stored as 16-bit 8 kHz WAV (16,000 bytes a second) in one INSERT, which must
     * fit MariaDB's default max_allowed_packet of 16 MiB: 900 s is 14.4 MB.
     */
    public static final long MAX_MESSAGE_SECONDS = 900;
    public static final long MAX_SILENCE_SECONDS = 300;
    public static final long MAX_MEDIA_TIMEOUT_SECONDS = 3_600;
    /** MW-3: 2,000 NOTIFYs/s send 10,000 mailboxes in 5 s, half the 10 s that issue 14 allows. */
    public static final int DEFAULT_MWI_SENDS_PER_SECOND = 2_000;
    /** Below 10/s a cluster of 10,000 mailboxes would wait over 15 minutes for its lamps after a failover. */
    public static final int MIN_MWI_SENDS_PER_SECOND = 10;
    /** Above 100,000/s the pacing no longer protects the PBX or the trunk's calls. */
    public static final int MAX_MWI_SENDS_PER_SECOND = 100_000;

    public ClusterSettings {
        Checks.range("cluster.settings.heartbeatIntervalMs", heartbeatIntervalMs,
                MIN_HEARTBEAT_INTERVAL_MS, MAX_HEARTBEAT_INTERVAL_MS);
        Checks.range("cluster.settings.localHeartbeatTimeoutMs", localHeartbeatTimeoutMs,
                2 * heartbeatIntervalMs, MAX_HEARTBEAT_TIMEOUT_MS);
        Checks.range("cluster.settings.remoteHeartbeatTimeoutMs", remoteHeartbeatTimeoutMs,
                2 * heartbeatIntervalMs, MAX_HEARTBEAT_TIMEOUT_MS);
        Checks.range("cluster.settings.failbackHoldDownMs", failbackHoldDownMs, 0, MAX_FAILBACK_HOLD_DOWN_MS);
        Checks.range("cluster.settings.replicationBacklogLimit", replicationBacklogLimit, 1, Long.MAX_VALUE);
        if (huntOrder == null) {
            throw new ConfigException("cluster.settings.huntOrder", null, "top-down, circular or longest-idle");
        }
        networkCheck = List.copyOf(networkCheck == null ? List.of() : networkCheck);
        Checks.range("cluster.settings.maxMessageSeconds", maxMessageSeconds, 1, MAX_MESSAGE_SECONDS);
        Checks.range("cluster.settings.silenceSeconds", silenceSeconds, 1, MAX_SILENCE_SECONDS);
        // A minimum at or above the maximum would discard every message.
        if (minMessageSeconds < 0 || minMessageSeconds >= maxMessageSeconds) {
            throw new ConfigException("cluster.settings.minMessageSeconds", minMessageSeconds,
                    Checks.rangeText(0, maxMessageSeconds - 1) + " (below maxMessageSeconds " + maxMessageSeconds + ")");
        }
        Checks.range("cluster.settings.mediaTimeoutSeconds", mediaTimeoutSeconds, 1, MAX_MEDIA_TIMEOUT_SECONDS);
        Objects.requireNonNull(mwiTarget, "cluster.settings.mwiTarget: Optional.empty() for none");
        Checks.range("cluster.settings.mwiSendsPerSecond", mwiSendsPerSecond, MIN_MWI_SENDS_PER_SECOND,
                MAX_MWI_SENDS_PER_SECOND);
    }

    /** Every setting, the MWI pacing at its default (2,000 NOTIFYs/s). */
    public ClusterSettings(boolean autoFailover, boolean autoFailback, long failbackHoldDownMs,
            boolean deactivateOnBacklog, long replicationBacklogLimit, boolean absorbPeerPortsOnFailover,
            HuntOrder huntOrder, long heartbeatIntervalMs, long localHeartbeatTimeoutMs,
            long remoteHeartbeatTimeoutMs, boolean heartbeatTrace, List<String> networkCheck,
            long maxMessageSeconds, long silenceSeconds, long minMessageSeconds, long mediaTimeoutSeconds,
            Optional<HostPort> mwiTarget) {
        this(autoFailover, autoFailback, failbackHoldDownMs, deactivateOnBacklog, replicationBacklogLimit,
                absorbPeerPortsOnFailover, huntOrder, heartbeatIntervalMs, localHeartbeatTimeoutMs,
                remoteHeartbeatTimeoutMs, heartbeatTrace, networkCheck, maxMessageSeconds, silenceSeconds,
                minMessageSeconds, mediaTimeoutSeconds, mwiTarget, DEFAULT_MWI_SENDS_PER_SECOND);
    }

    /** The settings of sections 1 to 3 with the voice settings (MD-4, MD-5) at their SPEC defaults and no MWI. */
    public ClusterSettings(boolean autoFailover, boolean autoFailback, long failbackHoldDownMs,
            boolean deactivateOnBacklog, long replicationBacklogLimit, boolean absorbPeerPortsOnFailover,
            HuntOrder huntOrder, long heartbeatIntervalMs, long localHeartbeatTimeoutMs,
            long remoteHeartbeatTimeoutMs, boolean heartbeatTrace, List<String> networkCheck) {
        this(autoFailover, autoFailback, failbackHoldDownMs, deactivateOnBacklog, replicationBacklogLimit,
                absorbPeerPortsOnFailover, huntOrder, heartbeatIntervalMs, localHeartbeatTimeoutMs,
                remoteHeartbeatTimeoutMs, heartbeatTrace, networkCheck, DEFAULT_MAX_MESSAGE_SECONDS,
                DEFAULT_SILENCE_SECONDS, DEFAULT_MIN_MESSAGE_SECONDS, DEFAULT_MEDIA_TIMEOUT_SECONDS);
    }

    /** Every setting but the MWI target, which is empty (no MWI). */
    public ClusterSettings(boolean autoFailover, boolean autoFailback, long failbackHoldDownMs,
            boolean deactivateOnBacklog, long replicationBacklogLimit, boolean absorbPeerPortsOnFailover,
            HuntOrder huntOrder, long heartbeatIntervalMs, long localHeartbeatTimeoutMs,
            long remoteHeartbeatTimeoutMs, boolean heartbeatTrace, List<String> networkCheck,
            long maxMessageSeconds, long silenceSeconds, long minMessageSeconds, long mediaTimeoutSeconds) {
        this(autoFailover, autoFailback, failbackHoldDownMs, deactivateOnBacklog, replicationBacklogLimit,
                absorbPeerPortsOnFailover, huntOrder, heartbeatIntervalMs, localHeartbeatTimeoutMs,
                remoteHeartbeatTimeoutMs, heartbeatTrace, networkCheck, maxMessageSeconds, silenceSeconds,
                minMessageSeconds, mediaTimeoutSeconds, Optional.empty());
    }

    /** These settings with {@code target} as the MWI target (empty: no MWI). */
    public ClusterSettings withMwiTarget(Optional<HostPort> target) {
        return new ClusterSettings(autoFailover, autoFailback, failbackHoldDownMs, deactivateOnBacklog,
                replicationBacklogLimit, absorbPeerPortsOnFailover, huntOrder, heartbeatIntervalMs,
                localHeartbeatTimeoutMs, remoteHeartbeatTimeoutMs, heartbeatTrace, networkCheck, maxMessageSeconds,
                silenceSeconds, minMessageSeconds, mediaTimeoutSeconds, target, mwiSendsPerSecond);
    }

    /** These settings with the MWI pacing {@code sendsPerSecond} (MW-3). */
    public ClusterSettings withMwiSendsPerSecond(int sendsPerSecond) {
        return new ClusterSettings(autoFailover, autoFailback, failbackHoldDownMs, deactivateOnBacklog,
                replicationBacklogLimit, absorbPeerPortsOnFailover, huntOrder, heartbeatIntervalMs,
                localHeartbeatTimeoutMs, remoteHeartbeatTimeoutMs, heartbeatTrace, networkCheck, maxMessageSeconds,
                silenceSeconds, minMessageSeconds, mediaTimeoutSeconds, mwiTarget, sendsPerSecond);
    }

    /** The SPEC defaults. */
    public static ClusterSettings defaults() {
        return new ClusterSettings(true, true, 60_000, false, 10_000, false, HuntOrder.TOP_DOWN,
                500, 3_000, 3_000, false, List.of("127.0.0.1"));
    }
}
