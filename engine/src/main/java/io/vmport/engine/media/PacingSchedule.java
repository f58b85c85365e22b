package io.vmport.engine.media;

/**
 * The drift-free 20 ms schedule of one pacer (SPEC MD-2): each deadline is the previous one plus the period, never
 * "now plus the period", so timer lateness does not accumulate. A tick that comes late by whole periods sends the
 * missed frames at once, at most {@code maxCatchUp} extra; later than that (a stalled loop), the schedule restarts
 * from now rather than bursting.
 */
final class PacingSchedule {
    private final long periodNs;
    private final int maxCatchUp;
    private long deadlineNs;
    private long restarts;

    PacingSchedule(long startNs, long periodNs, int maxCatchUp) {
        if (periodNs <= 0 || maxCatchUp < 0) {
            throw new IllegalArgumentException("period " + periodNs + " ns, catch-up " + maxCatchUp
                    + "; allowed: period > 0, catch-up >= 0");
        }
        this.periodNs = periodNs;
        this.maxCatchUp = maxCatchUp;
        this.deadlineNs = startNs + periodNs;
    }

    /** Frames to send at {@code nowNs} (0 when early); advances the deadline past them. */
    int due(long nowNs) {
        if (nowNs < deadlineNs) {
            return 0;
        }
        long late = (nowNs - deadlineNs) / periodNs + 1;
        if (late > maxCatchUp + 1) {
            restarts++;
            deadlineNs = nowNs + periodNs;
            return 1;
        }
        deadlineNs += late * periodNs;
        return (int) late;
    }

    /** Nanoseconds from {@code nowNs} to the next deadline, 0 if passed. */
    long delayNs(long nowNs) {
        return Math.max(0, deadlineNs - nowNs);
    }

    long deadlineNs() {
        return deadlineNs;
    }

    /** Times the schedule restarted after a stall. */
    long restarts() {
        return restarts;
    }
}
