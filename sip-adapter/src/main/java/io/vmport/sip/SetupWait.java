package io.vmport.sip;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bounds the trunk's calls in set-up by the wait they stand for, not by the port count (SPEC BI-1; issue 16 item 6).
 *
 * <p>Calls in set-up (offered, or answered and not yet acknowledged) are a queue in front of what completes them:
 * the engine's decision, the 180 and 200 going out, the ACK coming back. By Little's law its wait is the calls in
 * set-up divided by the rate at which calls leave set-up. Bounded by the port count alone ({@link QueueShed}), the
 * demo publisher's 1,000 calls in set-up at the 2,000-4,000 calls/s a two-core node completes were 250-500 ms of
 * wait, near T1: the PBX retransmitted INVITEs (26,000-51,000 in 10 s at twice the clean rate) and the node did that
 * work again. So a new INVITE is shed (503, statelessly, in the {@link TrunkGate}) once the calls in set-up reach
 * both
 * <ul>
 * <li>the calls that left set-up in the last {@code target + round trip} (the guard's target, and the path's own
 * round trip to the PBX that every set-up includes), at the rate of the last full {@value #INTERVAL_MS} ms
 * interval: a wait past the target; and</li>
 * <li>{@value #FLOOR_CALLS}: a cold JVM at a modest rate (issue 16 item 3: 100-200 calls/s per node) that stalls while
 * it compiles has a few dozen calls in set-up and completes almost none; the floor keeps such a stall from shedding
 * anything, and sheds only a queue 2.5 s deep at 100 calls/s.</li>
 * </ul>
 * Thread-safe and allocation-free; the clock is passed in (tests step it).
 */
final class SetupWait {

    /** Calls in set-up that never count as a queue, whatever the rate. */
    static final int FLOOR_CALLS = 256;
    /** Completions are counted per interval of this length. */
    static final long INTERVAL_MS = 100;
    private static final long INTERVAL_NS = INTERVAL_MS * 1_000_000L;

    private final long targetNs;
    private final LongSupplier clockNs;
    private final LongSupplier roundTripNs;
    private final AtomicLong intervalStartNs;
    private final AtomicInteger completions = new AtomicInteger();
    /** Calls that left set-up per interval, over the last interval that ended (0 after a silent one). */
    private volatile int perInterval;

    /**
     * @param targetMs    wait in set-up past which new calls are shed; 0: never shed
     * @param clockNs     a monotonic clock in nanoseconds
     * @param roundTripNs the path's round trip to the PBX now (0 when not known)
     */
    SetupWait(long targetMs, LongSupplier clockNs, LongSupplier roundTripNs) {
        if (targetMs < 0 || targetMs > 400) {
            throw new IllegalArgumentException("targetMs=" + targetMs + ": must be 1..400 (below T1), or 0 to never shed");
        }
        this.targetNs = targetMs * 1_000_000L;
        this.clockNs = clockNs;
        this.roundTripNs = roundTripNs;
        this.intervalStartNs = new AtomicLong(clockNs.getAsLong());
    }

    /** A call left set-up: acknowledged, refused, redirected, cancelled or ended. */
    void completed() {
        roll(clockNs.getAsLong());
        completions.incrementAndGet();
    }

    /** The calls in set-up past which a new INVITE is shed now. */
    int limit() {
        roll(clockNs.getAsLong());
        long waitNs = targetNs + Math.max(0, roundTripNs.getAsLong());
        long byRate = perInterval * waitNs / INTERVAL_NS;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(FLOOR_CALLS, byRate));
    }

    /** Whether a new INVITE is shed with {@code inSetup} calls in set-up. */
    boolean sheds(int inSetup) {
        return targetNs != 0 && inSetup >= FLOOR_CALLS && inSetup >= limit();
    }

    /** Ends the interval under way once it is {@value #INTERVAL_MS} ms old; the rate is its count over its length. */
    private void roll(long nowNs) {
        long started = intervalStartNs.get();
        long elapsed = nowNs - started;
        if (elapsed >= INTERVAL_NS && intervalStartNs.compareAndSet(started, nowNs)) {
            perInterval = (int) (completions.getAndSet(0) * INTERVAL_NS / elapsed);
        }
    }

    @Override
    public String toString() {
        return "SetupWait[limit " + limit() + " calls, " + perInterval + " completed per " + INTERVAL_MS
                + " ms, target " + targetNs / 1_000_000 + " ms]";
    }
}
