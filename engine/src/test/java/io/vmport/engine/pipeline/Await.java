package io.vmport.engine.pipeline;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Polls a condition until it holds or a deadline passes: tests wait for state, never sleep for it. */
final class Await {
    private static final long POLL_NS = 1_000_000;

    private Await() {
    }

    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWeSaw) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("condition not met within " + timeout + ": " + whatWeSaw.get());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }

    /** Until every event published so far has passed every stage. */
    static void drained(Pipeline pipeline) {
        until(Duration.ofSeconds(10), () -> pipeline.completedSequence() >= pipeline.publishedSequence(),
                pipeline::describe);
    }
}
