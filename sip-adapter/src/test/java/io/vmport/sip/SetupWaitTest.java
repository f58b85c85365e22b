package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** BI-1 (issue 16 items 6 and 3): the bound on calls in set-up, on a stepped clock. */
class SetupWaitTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final AtomicLong roundTrip = new AtomicLong();
    private final SetupWait wait = new SetupWait(50, clock::get, roundTrip::get);

    /** {@code perSecond} calls leave set-up, evenly, for {@code ms} milliseconds. */
    private void completions(int perSecond, long ms) {
        long everyNs = 1_000_000_000L / perSecond;
        for (long t = 0; t < ms * MS; t += everyNs) {
            clock.addAndGet(everyNs);
            wait.completed();
        }
    }

    @Test
    void bi1_aQueueOfCallsInSetupPastTheTargetWaitIsShed_notOnlyAtThePortCount() {
        completions(8_000, 300); // 8,000 calls/s leave set-up: 50 ms of them is 400 calls
        assertEquals(400, wait.limit(), wait.toString());
        assertFalse(wait.sheds(399), "under 50 ms of wait: " + wait);
        assertTrue(wait.sheds(400), "50 ms of wait: a queue, shed long before 1,000 ports are in set-up: " + wait);
    }

    @Test
    void bi1_theFloorHoldsAtLowerRates() {
        completions(2_000, 300); // 50 ms of 2,000 calls/s is 100 calls: the floor holds
        assertEquals(SetupWait.FLOOR_CALLS, wait.limit(), wait.toString());
        assertFalse(wait.sheds(SetupWait.FLOOR_CALLS - 1));
        assertTrue(wait.sheds(SetupWait.FLOOR_CALLS));
    }

    @Test
    void issue16item3_aColdStallAtAModestRateShedsNothing() {
        // 100 calls/s, then a 2 s stall (a cold JVM compiling): nothing leaves set-up, 200 calls pile up
        completions(100, 1_000);
        clock.addAndGet(2_000 * MS);
        assertEquals(SetupWait.FLOOR_CALLS, wait.limit(), "no completion for 2 s: " + wait);
        assertFalse(wait.sheds(200), "a stall worked off at a modest rate shed calls: " + wait);
    }

    @Test
    void thePathsRoundTripIsPartOfEverySetUp() {
        roundTrip.set(100 * MS); // a PBX 100 ms away: every call is in set-up at least that long
        completions(8_000, 300);
        assertEquals(1_200, wait.limit(), wait.toString());
        assertFalse(wait.sheds(1_199), "the round trip taken for a queue: " + wait);
    }

    @Test
    void theRateFollowsTheLastInterval() {
        completions(8_000, 300);
        completions(1_000, 300); // the node slowed down: its queue may be shorter
        assertEquals(SetupWait.FLOOR_CALLS, wait.limit(), wait.toString());
        completions(8_000, 200);
        assertEquals(400, wait.limit(), wait.toString());
    }

    @Test
    void aTargetOfZeroNeverSheds() {
        SetupWait off = new SetupWait(0, clock::get, roundTrip::get);
        assertFalse(off.sheds(1_000_000));
    }

    @Test
    void refusesATargetAtOrAboveT1() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SetupWait(500, clock::get, roundTrip::get));
        assertTrue(e.getMessage().contains("targetMs=500"), e.getMessage());
    }
}
