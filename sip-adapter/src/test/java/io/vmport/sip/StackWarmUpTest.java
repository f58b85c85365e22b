package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 16 item 3: the start-up warm-up runs its synthetic calls through the real parser, bounded in rounds and time. */
class StackWarmUpTest {

    @Test
    void runsEveryRoundWithinItsBudget() {
        AtomicLong clock = new AtomicLong();
        StackWarmUp.Result r = StackWarmUp.run(50, 10_000, clock::get);
        assertEquals(50, r.rounds(), "every synthetic call parsed, answered and encoded");
    }

    @Test
    void stopsAtItsTimeBudgetOnASlowMachine() {
        AtomicLong clock = new AtomicLong();
        // every read of the clock is 400 ms later: a 1,000 ms budget allows the rounds begun within it, no more
        StackWarmUp.Result r = StackWarmUp.run(1_000, 1_000, () -> clock.addAndGet(400_000_000L));
        assertEquals(2, r.rounds(), r.toString());
        assertTrue(r.elapsedMs() >= 1_000, r.toString());
    }
}
