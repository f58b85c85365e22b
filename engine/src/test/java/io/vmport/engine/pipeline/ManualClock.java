package io.vmport.engine.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests step. */
final class ManualClock implements NanoClock {
    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nowNs.get();
    }

    long advance(long ns) {
        return nowNs.addAndGet(ns);
    }
}
