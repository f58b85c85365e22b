package io.vmport.sip;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides whether the trunk takes one more new call, from how far behind it is (BI-1: a flood of INVITEs is
 * refused early with 503, not let in to collapse everything).
 *
 * <p>The signal is the time from our 200 OK to the PBX's ACK. The ACK waits in the same receive queue as every
 * other request, so once the trunk falls behind this delay grows by the queue's wait, long before anything
 * fails. Left alone, that wait passes T1 (500 ms), the PBX retransmits INVITEs and 200s are retransmitted, and
 * the extra work collapses the goodput to a few percent (measured: 6% at twice the sustainable rate). So:
 * <ul>
 * <li>queueing delay = smoothed ACK delay minus the smallest ACK delay of the last 10 s (the path's own round
 * trip, so that a PBX far away is not taken for overload);</li>
 * <li>above {@link #targetNs} new INVITEs are refused with 503 + Retry-After, statelessly, except one in
 * {@value #PROBE_EVERY}, whose ACK keeps the estimate moving so that the trunk notices when it has caught up.</li>
 * </ul>
 * Thread-safe and allocation-free; samples may come from any SIP thread.
 */
final class OverloadGuard {

    /** New calls are admitted at this rate while the trunk is behind. */
    static final int PROBE_EVERY = 16;
    /** Each sample moves the smoothed delay by 1/2^SMOOTHING_SHIFT of the difference. */
    private static final int SMOOTHING_SHIFT = 3;
    /** The base round trip is the minimum over this window (two halves of it, the older one dropped in turn). */
    private static final long BASE_WINDOW_NS = 10_000_000_000L;

    private final long targetNs;
    private final LongSupplier clockNs;
    /** -1 until the first sample, which it then takes as it is. */
    private final AtomicLong smoothedNs = new AtomicLong(-1);
    private final AtomicLong baseNow = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong basePrevious = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong halfStartedNs;
    private final AtomicInteger probes = new AtomicInteger();

    /**
     * @param targetMs queueing delay past which new calls are shed; well below T1 (500 ms)
     * @param clockNs  a monotonic clock in nanoseconds
     */
    OverloadGuard(long targetMs, LongSupplier clockNs) {
        if (targetMs < 1 || targetMs > 400) {
            throw new IllegalArgumentException("targetMs=" + targetMs + ": must be 1..400 (below T1, 500 ms)");
        }
        this.targetNs = targetMs * 1_000_000L;
        this.clockNs = clockNs;
        this.halfStartedNs = new AtomicLong(clockNs.getAsLong());
    }

    long nowNs() {
        return clockNs.getAsLong();
    }

    /** One call's delay from our 200 OK to its ACK. */
    void ackDelay(long delayNs) {
        if (delayNs < 0) {
            return;
        }
        long now = clockNs.getAsLong();
        long started = halfStartedNs.get();
        if (now - started >= BASE_WINDOW_NS / 2 && halfStartedNs.compareAndSet(started, now)) {
            basePrevious.set(baseNow.getAndSet(Long.MAX_VALUE));
        }
        baseNow.accumulateAndGet(delayNs, Math::min);
        long old;
        long next;
        do {
            old = smoothedNs.get();
            next = old < 0 ? delayNs : old + ((delayNs - old) >> SMOOTHING_SHIFT);
        } while (!smoothedNs.compareAndSet(old, next));
    }

    /** The current queueing-delay estimate in nanoseconds (0 when no sample yet). */
    long queueingDelayNs() {
        long base = Math.min(baseNow.get(), basePrevious.get());
        long smoothed = smoothedNs.get();
        if (base == Long.MAX_VALUE || smoothed < 0) {
            return 0;
        }
        return Math.max(0, smoothed - base);
    }

    /** True when one more new call may come in; false: refuse it with 503. */
    boolean admit() {
        if (queueingDelayNs() <= targetNs) {
            return true;
        }
        return probes.incrementAndGet() % PROBE_EVERY == 0;
    }

    @Override
    public String toString() {
        return "OverloadGuard[queueing " + queueingDelayNs() / 1_000_000 + " ms, target " + targetNs / 1_000_000
                + " ms]";
    }
}
