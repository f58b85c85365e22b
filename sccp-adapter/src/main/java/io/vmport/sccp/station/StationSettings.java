package io.vmport.sccp.station;

/**
 * How station sessions behave; checked once when built.
 *
 * @param registerTimeoutMs   how long to wait for RegisterAck or RegisterReject before dropping the connection
 * @param unregisterTimeoutMs how long to wait for UnregisterAck before closing anyway
 * @param backoffInitialMs    the first wait before connecting again after a drop or a refusal
 * @param backoffMaxMs        the longest wait; each failed attempt doubles the wait up to this
 * @param missedKeepAlives    keep-alives without an ack after which the connection counts as dead
 * @param mediaPort           the RTP port announced in OpenReceiveChannelAck
 */
public record StationSettings(int registerTimeoutMs, int unregisterTimeoutMs, int backoffInitialMs, int backoffMaxMs,
        int missedKeepAlives, int mediaPort) {
    /** Defaults for production. */
    public static final StationSettings DEFAULTS = new StationSettings(5_000, 2_000, 500, 30_000, 2, 16384);

    public StationSettings {
        positive("registerTimeoutMs", registerTimeoutMs);
        positive("unregisterTimeoutMs", unregisterTimeoutMs);
        positive("backoffInitialMs", backoffInitialMs);
        if (backoffMaxMs < backoffInitialMs) {
            throw new IllegalArgumentException("backoffMaxMs " + backoffMaxMs + "; allowed: >= backoffInitialMs "
                    + backoffInitialMs);
        }
        positive("missedKeepAlives", missedKeepAlives);
        if (mediaPort < 1 || mediaPort > 65535) {
            throw new IllegalArgumentException("mediaPort " + mediaPort + "; allowed: 1..65535");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " " + value + "; allowed: > 0");
        }
    }

    /** The wait before connection attempt {@code failures + 1}: initial doubled per failure, capped at max. */
    long backoffMs(int failures) {
        long ms = backoffInitialMs;
        for (int i = 1; i < failures && ms < backoffMaxMs; i++) {
            ms *= 2;
        }
        return Math.min(ms, backoffMaxMs);
    }
}
