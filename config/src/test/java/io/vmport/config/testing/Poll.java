package io.vmport.config.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Tests wait for state by polling with a deadline, never by sleeping for it. Shared through the test-jar. */
public final class Poll {
    private Poll() {
    }

    /** Polls {@code condition} every 20 ms until it holds, or fails after {@code timeoutMs} with {@code state}. */
    public static void await(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + timeoutMs + " ms: " + what + "\n" + state.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
