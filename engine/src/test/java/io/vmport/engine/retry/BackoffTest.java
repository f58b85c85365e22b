package io.vmport.engine.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's one backoff, as the peer link (with jitter) and the database writer (BI-4, without) use it. */
class BackoffTest {

    @Test
    void backoff_jitterSpreadsEachDelayBothWays() {
        assertEquals(40, new Backoff(50, 2_000, 0.2, () -> 0.0).nextDelayMs());
        assertEquals(60, new Backoff(50, 2_000, 0.2, () -> 0.999_999_9).nextDelayMs());
    }

    @Test
    void backoff_refusesBadArgumentsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(100, 50, 0.2, () -> 0.5));
        assertTrue(e.getMessage().contains("initialMs=100, maxMs=50"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Backoff(50, 100, 0.7, () -> 0.5));
        assertTrue(e.getMessage().contains("0.7"), e.getMessage());
    }
    @Test
    void backoff_withoutJitter_givesExactDoublingDelaysUpToTheMaximum_andStartsOverAfterReset() {
        Backoff b = new Backoff(100, 5_000);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(b.nextDelayMs());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L), delays, "never gives up");
        b.reset();
        assertEquals(100, b.nextDelayMs());
    }
}
