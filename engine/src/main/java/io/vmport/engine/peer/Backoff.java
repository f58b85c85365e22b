package io.vmport.engine.peer;

import java.util.function.DoubleSupplier;

/**
 * Reconnection delays: {@code initialMs} doubling up to {@code maxMs}, each spread by +/-{@code jitter} so two
 * nodes that lost each other do not redial in step. Never gives up. Not thread-safe (the link's event loop).
 */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final double jitter;
    private final DoubleSupplier random;
    private long nextMs;

    /**
     * @param jitter the spread, 0 (none) to 0.5: a delay d becomes uniform in [d(1 - jitter), d(1 + jitter)]
     * @param random uniform in [0, 1)
     */
    Backoff(long initialMs, long maxMs, double jitter, DoubleSupplier random) {
        if (initialMs < 1 || maxMs < initialMs) {
            throw new IllegalArgumentException("need 1 <= initialMs <= maxMs, not initialMs=" + initialMs + ", maxMs="
                    + maxMs);
        }
        if (!(jitter >= 0 && jitter <= 0.5)) {
            throw new IllegalArgumentException("jitter must be 0..0.5, not " + jitter);
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.jitter = jitter;
        this.random = java.util.Objects.requireNonNull(random, "random");
        this.nextMs = initialMs;
    }

    /** The delay before the next attempt; the one after is twice as long, up to the maximum. */
    long nextDelayMs() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.max(1, Math.round(base * spread));
    }

    /** Back to the initial delay (after a connection that worked). */
    void reset() {
        nextMs = initialMs;
    }
}
