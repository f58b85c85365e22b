package io.vmport.engine.retry;

import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Retry delays: {@code initialMs} doubling up to {@code maxMs}, each spread by +/-{@code jitter} (so that two nodes
 * that lost each other do not redial in step). Never gives up; {@link #reset()} after an attempt that worked. The
 * engine's one backoff: the peer link's redial and the database writer's retry. Not thread-safe: one per thread
 * (the link's event loop, the writer's thread).
 */
public final class Backoff {
    private static final DoubleSupplier NO_RANDOM = () -> 0.5;

    private final long initialMs;
    private final long maxMs;
    private final double jitter;
    private final DoubleSupplier random;
    private long nextMs;

    /** Exact delays, without jitter. */
    public Backoff(long initialMs, long maxMs) {
        this(initialMs, maxMs, 0, NO_RANDOM);
    }

    /**
     * @param jitter the spread, 0 (none) to 0.5: a delay d becomes uniform in [d(1 - jitter), d(1 + jitter)]
     * @param random uniform in [0, 1)
     */
    public Backoff(long initialMs, long maxMs, double jitter, DoubleSupplier random) {
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
        this.random = Objects.requireNonNull(random, "random");
        this.nextMs = initialMs;
    }

    /** The delay before the next attempt; the one after is twice as long, up to the maximum. */
    public long nextDelayMs() {
        long base = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.max(1, Math.round(base * spread));
    }

    /** Back to the initial delay (after an attempt that worked). */
    public void reset() {
        nextMs = initialMs;
    }
}
