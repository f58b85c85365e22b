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
 * @param media              whether an answered call gets media (SPEC MD-1): OpenReceiveChannel, then
 *                           StartMediaTransmission to a UDP port the simulator opens for the caller's side, which
 *                           sends G.711 mu-law silence every 20 ms once the device sends, and counts the RTP
 *                           it gets; false = signalling only (no media messages, no sockets), for load runs
 *                           that measure call handling alone
 */
public record SimSettings(int keepAliveIntervalS, long ringTimeoutMs, long holdTimeMs, int maxLength, boolean media) {
    /** With media. */
    public SimSettings(int keepAliveIntervalS, long ringTimeoutMs, long holdTimeMs, int maxLength) {
        this(keepAliveIntervalS, ringTimeoutMs, holdTimeMs, maxLength, true);
    }

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
