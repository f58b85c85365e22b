package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** BI-1 (a flood of INVITEs is refused early): the guard's decisions on a stepped clock. */
class OverloadGuardTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final OverloadGuard guard = new OverloadGuard(100, clock::get);

    @Test
    void admitsEverythingBeforeAnyAckAndWhileAcksArePrompt() {
        assertTrue(guard.admit());
        for (int i = 0; i < 100; i++) {
            guard.ackDelay(2 * MS);
            assertTrue(guard.admit(), "prompt ACKs: " + guard);
        }
        assertEquals(0, guard.queueingDelayNs());
    }

    @Test
    void aFarAwayPbxIsNotTakenForOverload() {
        // every ACK 250 ms after the 200: the path's round trip, not a queue
        for (int i = 0; i < 100; i++) {
            guard.ackDelay(250 * MS);
        }
        assertTrue(guard.admit(), guard.toString());
    }

    @Test
    void shedsAllButOneProbeInSixteenOnceAcksLagAndAdmitsAgainWhenTheyCatchUp() {
        guard.ackDelay(2 * MS);
        int samples = 0;
        while (guard.admit()) {
            guard.ackDelay(400 * MS);
            assertTrue(++samples < 20, "still admitting after " + samples + " ACKs 400 ms late: " + guard);
        }
        assertTrue(guard.queueingDelayNs() > 100 * MS, guard.toString());
        int admitted = 0;
        for (int i = 0; i < 64; i++) {
            if (guard.admit()) {
                admitted++;
            }
        }
        assertEquals(64 / OverloadGuard.PROBE_EVERY, admitted, "probes only, while behind: " + guard);

        int prompt = 0;
        while (!guard.admit() || guard.queueingDelayNs() > 100 * MS) {
            guard.ackDelay(2 * MS);
            assertTrue(++prompt < 50, "not admitting after " + prompt + " prompt ACKs: " + guard);
        }
        assertTrue(guard.admit());
    }

    @Test
    void theBaseRoundTripFollowsTheLastTenSeconds() {
        guard.ackDelay(1 * MS);
        for (int i = 0; i < 4; i++) { // 20 s of ACKs 300 ms late: the 1 ms base has aged out
            clock.addAndGet(5_000 * MS);
            guard.ackDelay(300 * MS);
        }
        for (int i = 0; i < 50; i++) {
            guard.ackDelay(300 * MS);
        }
        assertTrue(guard.queueingDelayNs() < 100 * MS, "a round trip that changed for good is the new base: " + guard);
    }

    @Test
    void refusesATargetAtOrAboveT1() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OverloadGuard(500, clock::get));
        assertTrue(e.getMessage().contains("targetMs=500"), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
