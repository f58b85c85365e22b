package io.vmport.sccp.sim;

/**
 * How the phone-system simulator behaves.
 *
 * @param keepAliveIntervalS the keep-alive interval it gives in RegisterAck; a device silent for three intervals
 *                           is dropped
 * @param ringTimeoutMs      how long a device rings before the hunt moves on (no answer)
 * @param holdTimeMs         how long an answered call lasts before the caller hangs up; 0 = until the device
 *                           goes on hook
 * @param maxLength          the largest Skinny length field accepted
 */
public record SimSettings(int keepAliveIntervalS, long ringTimeoutMs, long holdTimeMs, int maxLength) {
    public SimSettings {
        if (keepAliveIntervalS <= 0) {
            throw new IllegalArgumentException("keepAliveIntervalS " + keepAliveIntervalS + "; allowed: > 0");
        }
        if (ringTimeoutMs <= 0) {
            throw new IllegalArgumentException("ringTimeoutMs " + ringTimeoutMs + "; allowed: > 0");
        }
        if (holdTimeMs < 0) {
            throw new IllegalArgumentException("holdTimeMs " + holdTimeMs + "; allowed: >= 0");
        }
        if (maxLength < 4) {
            throw new IllegalArgumentException("maxLength " + maxLength + "; allowed: >= 4");
        }
    }
}
