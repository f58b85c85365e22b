package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** BI-1 (a flood of INVITEs is refused early): the guard's decisions on a stepped clock. */
class OverloadGuardTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final OverloadGuard guard = new OverloadGuard(150, clock::get);

    /** {@code count} ACKs {@code delayMs} after their 200s, one every {@code everyMs}. */
    private void acks(int count, long delayMs, long everyMs) {
        for (int i = 0; i < count; i++) {
            clock.addAndGet(everyMs * MS);
            guard.ackDelay(delayMs * MS);
        }
    }

    @Test
    void admitsEverythingBeforeAnyAckAndWhileAcksArePrompt() {
        assertTrue(guard.admit());
        for (int i = 0; i < 100; i++) {
            acks(1, 2, 10);
            assertTrue(guard.admit(), "prompt ACKs: " + guard);
        }
        assertEquals(0, guard.queueingDelayNs());
    }

    @Test
    void aFarAwayPbxIsNotTakenForOverload() {
        acks(100, 250, 20); // every ACK 250 ms after its 200: the path's round trip, not a queue
        assertTrue(guard.admit(), guard.toString());
    }

    @Test
    void aBurstWorkedOffWithinAnIntervalShedsNothing() {
        acks(1, 2, 10);
        for (int i = 0; i < 10; i++) { // a GC pause: most ACKs of each interval late, but never all of them
            acks(8, 400, 20);
            acks(1, 3, 20);
            assertTrue(guard.admit(), "a passing burst shed calls: " + guard);
        }
    }

    @Test
    void shedsAllButOneProbeInSixteenUnderAStandingQueueAndAdmitsAgainWhenAcksArePrompt() {
        acks(1, 2, 10);
        acks(30, 400, 20); // 600 ms of ACKs all 400 ms late
        assertTrue(guard.queueingDelayNs() > 150 * MS, guard.toString());
        int admitted = 0;
        for (int i = 0; i < 64; i++) {
            if (guard.admit()) {
                admitted++;
            }
        }
        assertEquals(64 / OverloadGuard.PROBE_EVERY, admitted, "probes only, while behind: " + guard);

        acks(30, 2, 20); // caught up
        assertEquals(0, guard.queueingDelayNs(), guard.toString());
        assertTrue(guard.admit());
    }

    /**
     * Issue 16 item 3, BI-1: a freshly started trunk at a modest rate (100 calls/s) stalls for longer than an
     * interval (a cold JVM compiling, a pause) and then keeps up. It must not go on refusing calls after the first
     * prompt ACK shows the stall is over: with both servers of a pair stalling at once (one JVM, or both just
     * started), each call refused by both is lost.
     */
    @Test
    void bi1_aStallWorkedOffShedsNoCallAfterTheFirstPromptAck_atAModestRate() {
        acks(40, 2, 10); // 400 ms at 100 calls/s: the path's round trip is 2 ms
        acks(45, 300, 10); // a 450 ms stall: every ACK of a whole interval 300 ms late
        assertTrue(guard.queueingDelayNs() > 150 * MS, "the stall is seen while it lasts: " + guard);
        acks(1, 2, 10); // the first call after it is acknowledged promptly
        int refused = 0;
        for (int i = 0; i < 20; i++) { // the 200 ms after it, at 100 calls/s
            if (!guard.admit()) {
                refused++;
            }
            acks(1, 2, 10);
        }
        assertEquals(0, refused, "calls refused after the trunk caught up: " + guard);
    }

    /**
     * Issue 16 item 6, BI-1: an overload that lasts longer than half the base window must not become the base
     * round trip. It did: 5 to 10 s into an overload the guard took the standing queue for the path, admitted every
     * call again, and the ports filled (a storm of 302s).
     */
    @Test
    void bi1_aStandingQueueIsNotTakenForTheRoundTripWhileTheGuardSheds() {
        acks(40, 2, 10);
        int admittedLate = 0;
        for (int i = 0; i < 1_200; i++) { // 12 s at 100 ACKs/s, each 300 ms late, an INVITE between two
            acks(1, 300, 10);
            boolean admitted = guard.admit();
            if (i >= 1_100 && admitted) {
                admittedLate++;
            }
        }
        assertTrue(guard.queueingDelayNs() > 150 * MS, "after 12 s of overload: " + guard);
        assertEquals(100 / OverloadGuard.PROBE_EVERY, admittedLate, 1, "probes only in the last second: " + guard);
    }

    @Test
    void withNoAckForTwoIntervalsItAdmits() {
        acks(1, 2, 10);
        acks(30, 400, 20);
        assertTrue(guard.queueingDelayNs() > 0);
        clock.addAndGet(2 * OverloadGuard.INTERVAL_MS * MS);
        assertEquals(0, guard.queueingDelayNs(), "stale: " + guard);
        assertTrue(guard.admit());
    }

    @Test
    void theBaseRoundTripFollowsTheLastTenSeconds() {
        acks(1, 1, 10);
        acks(500, 300, 40); // 20 s of ACKs 300 ms late: the 1 ms base has aged out
        assertTrue(guard.queueingDelayNs() < 150 * MS, "a round trip that changed for good is the new base: " + guard);
    }

    @Test
    void refusesATargetAtOrAboveT1() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OverloadGuard(500, clock::get));
        assertTrue(e.getMessage().contains("targetMs=500"), e.getMessage());
    }
}
