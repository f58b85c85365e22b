package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** MD-2: the 20 ms schedule does not drift with a late timer and does not burst after a stall. */
class PacingScheduleTest {
    private static final long MS = 1_000_000;

    @Test
    void lateTicksDoNotShiftTheDeadlines() {
        PacingSchedule s = new PacingSchedule(0, 20 * MS, 2);
        assertEquals(0, s.due(19 * MS), "early");
        assertEquals(20 * MS, s.delayNs(0) + 0);
        assertEquals(1, s.due(21 * MS));
        assertEquals(40 * MS, s.deadlineNs(), "previous deadline + 20 ms, not now + 20 ms");
        assertEquals(19 * MS, s.delayNs(21 * MS));
        long sent = 0;
        for (int tick = 2; tick <= 1000; tick++) {
            sent += s.due(tick * 20 * MS + 3 * MS); // every tick 3 ms late
        }
        assertEquals(999, sent);
        assertEquals(20_020 * MS, s.deadlineNs(), "after 1000 late ticks the schedule is where it started to be");
    }

    @Test
    void aMissedTickIsCaughtUpWithinTheLimit() {
        PacingSchedule s = new PacingSchedule(0, 20 * MS, 2);
        assertEquals(3, s.due(61 * MS), "deadlines 20, 40, 60 passed");
        assertEquals(80 * MS, s.deadlineNs());
        assertEquals(0, s.restarts());
    }

    @Test
    void aStallRestartsTheScheduleInsteadOfBursting() {
        PacingSchedule s = new PacingSchedule(0, 20 * MS, 2);
        assertEquals(1, s.due(500 * MS));
        assertEquals(520 * MS, s.deadlineNs());
        assertEquals(1, s.restarts());
    }
}
