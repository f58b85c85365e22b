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
 * the extra work collapses the goodput to a few percent (measured: 6% at twice the sustainable rate). So, in the
 * manner of CoDel (RFC 8289), which tells a standing queue from a passing burst by the smallest delay of an
 * interval:
 * <ul>
 * <li>queueing delay = the smallest ACK delay of the last {@value #INTERVAL_MS} ms interval and of the one under
 * way, minus the smallest of the last 10 s (the path's own round trip, so that a PBX far away is not taken for
 * overload). A GC pause or a burst that the trunk works off within the interval leaves some prompt ACK in it,
 * and sheds nothing; a stall longer than an interval (a cold JVM compiling, a long pause) sheds only until the
 * first prompt ACK after it, not for a whole further interval (issue 16: a freshly started pair at a modest
 * rate refused about 5% of its first calls from both nodes at once);</li>
 * <li>above the target new INVITEs are refused with 503 + Retry-After, statelessly, except one in
 * {@value #PROBE_EVERY}, whose ACK keeps the estimate moving so that the trunk notices when it has caught up;</li>
 * <li>with no ACK for two intervals there is nothing to go by, and every call is admitted;</li>
 * <li>while it sheds, ACK delays do not feed the base round trip (for up to {@link #BASE_HOLD_NS}), so that an
 * overload does not pass for the path's round trip.</li>
 * </ul>
 * Measuring from the INVITE instead (so that a pipeline that falls behind shows too) was tried and taken out:
 * with a 50 ms target its jitter shed calls at 1,000 calls/s, a rate the trunk carries clean.
 * Thread-safe and allocation-free; samples may come from any SIP thread.
 */
final class OverloadGuard {

    /** New calls are admitted at this rate while the trunk is behind. */
    static final int PROBE_EVERY = 16;
    /** The interval whose smallest ACK delay tells a standing queue. */
    static final long INTERVAL_MS = 200;
    private static final long INTERVAL_NS = INTERVAL_MS * 1_000_000L;
    /** The base round trip is the minimum over this window (two halves of it, the older one dropped in turn). */
    private static final long BASE_WINDOW_NS = 10_000_000_000L;

    private final long targetNs;
    private final LongSupplier clockNs;
    /** The smallest ACK delay of each interval. */
    private final WindowMin interval;
    /** The smallest ACK delay of each half of the base window. */
    private final WindowMin base;
    private final AtomicInteger probes = new AtomicInteger();
    /** Since when {@link #admit()} has been shedding without a break; {@link #NOT_SHEDDING} while it admits. */
    private final AtomicLong sheddingSinceNs = new AtomicLong(NOT_SHEDDING);
    private static final long NOT_SHEDDING = Long.MIN_VALUE;
    /**
     * While shedding, the ACK delays are the queue's, not the path's: they are kept out of the base round trip for
     * this long, so that a standing overload does not become the new base within one base window (which made the
     * guard admit everything again 5 to 10 s into an overload). A delay that stays high longer than this is taken
     * for a path that changed (a PBX now farther away), as before.
     */
    static final long BASE_HOLD_NS = 10_000_000_000L;

    /**
     * @param targetMs queueing delay past which new calls are shed; below T1 (500 ms); 0: never shed
     * @param clockNs  a monotonic clock in nanoseconds
     */
    OverloadGuard(long targetMs, LongSupplier clockNs) {
        if (targetMs < 0 || targetMs > 400) {
            throw new IllegalArgumentException("targetMs=" + targetMs
                    + ": must be 1..400 (below T1, 500 ms), or 0 to never shed");
        }
        this.targetNs = targetMs * 1_000_000L;
        this.clockNs = clockNs;
        long now = clockNs.getAsLong();
        this.interval = new WindowMin(INTERVAL_NS, now);
        this.base = new WindowMin(BASE_WINDOW_NS / 2, now);
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
        long shedding = sheddingSinceNs.get();
        if (shedding == NOT_SHEDDING || now - shedding >= BASE_HOLD_NS) {
            base.sample(delayNs, now);
        }
        interval.sample(delayNs, now);
    }

    /** The current queueing-delay estimate in nanoseconds: 0 with no recent sample. */
    long queueingDelayNs() {
        if (clockNs.getAsLong() - interval.startedNs() >= 2 * INTERVAL_NS) {
            return 0; // no ACK for two intervals: nothing says the trunk is behind
        }
        long roundTrip = Math.min(base.current(), base.previous());
        // A prompt ACK in the interval under way shows the queue gone now: a stall the trunk worked off (a cold
        // JIT, a GC pause) sheds no call beyond it, while a standing queue delays every ACK of both intervals.
        long last = Math.min(interval.previous(), interval.current());
        if (roundTrip == Long.MAX_VALUE || interval.previous() == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(0, last - roundTrip);
    }

    /** True when one more new call may come in; false: refuse it with 503. */
    boolean admit() {
        if (targetNs == 0 || queueingDelayNs() <= targetNs) {
            if (sheddingSinceNs.get() != NOT_SHEDDING) {
                sheddingSinceNs.set(NOT_SHEDDING);
            }
            return true;
        }
        if (sheddingSinceNs.get() == NOT_SHEDDING) {
            sheddingSinceNs.compareAndSet(NOT_SHEDDING, clockNs.getAsLong());
        }
        return probes.incrementAndGet() % PROBE_EVERY == 0;
    }

    /**
     * True when the trunk is behind for a call it took at {@code offeredAtNs}: the guard sheds new calls now, or
     * the engine's decision for this call waited past the target. Such a call is refused with 503 rather than
     * redirected (see {@link SipCall#redirect}). Never true with a target of 0.
     */
    boolean behind(long offeredAtNs) {
        return targetNs != 0 && (queueingDelayNs() > targetNs || clockNs.getAsLong() - offeredAtNs > targetNs);
    }

    @Override
    public String toString() {
        return "OverloadGuard[queueing " + queueingDelayNs() / 1_000_000 + " ms, target " + targetNs / 1_000_000
                + " ms]";
    }

    /**
     * The smallest sample of the current window and of the one before it; a window ends with the first sample that
     * comes {@code lengthNs} or more after it began (Long.MAX_VALUE: no sample). Lock-free.
     */
    private static final class WindowMin {
        private final long lengthNs;
        private final AtomicLong startedNs;
        private final AtomicLong current = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong previous = new AtomicLong(Long.MAX_VALUE);

        WindowMin(long lengthNs, long nowNs) {
            this.lengthNs = lengthNs;
            this.startedNs = new AtomicLong(nowNs);
        }

        void sample(long value, long nowNs) {
            long started = startedNs.get();
            if (nowNs - started >= lengthNs && startedNs.compareAndSet(started, nowNs)) {
                previous.set(current.getAndSet(value));
            } else {
                current.accumulateAndGet(value, Math::min);
            }
        }

        long startedNs() {
            return startedNs.get();
        }

        long current() {
            return current.get();
        }

        long previous() {
            return previous.get();
        }
    }
}
