package io.vmport.engine.node;

/**
 * Turns the pipeline clock's nanoseconds ({@link System#nanoTime()}) into wall-clock epoch milliseconds, with an
 * offset taken once at start: records keep their order and spacing even if the wall clock is stepped later.
 */
final class WallClock {
    private final long offsetMs;

    WallClock() {
        this.offsetMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000L;
    }

    long toEpochMs(long nanoTime) {
        return offsetMs + nanoTime / 1_000_000L;
    }

    long nowMs() {
        return toEpochMs(System.nanoTime());
    }
}
