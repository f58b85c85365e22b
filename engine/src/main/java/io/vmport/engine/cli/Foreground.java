package io.vmport.engine.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a command in the foreground until SIGINT or SIGTERM, then runs its stop action on the main thread, so the
 * command returns its own exit status (0) after a clean stop. When the signals cannot be caught (a JVM without
 * {@code sun.misc.Signal}), a shutdown hook runs the stop action instead.
 */
final class Foreground {
    private static final Logger LOG = LoggerFactory.getLogger(Foreground.class);

    private Foreground() {
    }

    /** Blocks until SIGINT/SIGTERM (or interruption), then runs {@code stop} once. */
    static void runUntilSignalled(Runnable stop) {
        CountDownLatch signalled = new CountDownLatch(1);
        boolean caught = catchSignal("INT", signalled) & catchSignal("TERM", signalled);
        Thread hook = new Thread(() -> {
            signalled.countDown();
            stop.run();
        }, "vmport-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!caught) {
            LOG.info("signals not catchable here; stopping through a shutdown hook");
        }
        try {
            signalled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs stop too; stop is idempotent
        }
    }

    private static boolean catchSignal(String name, CountDownLatch signalled) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                LOG.info("SIG{} received: stopping", name);
                signalled.countDown();
            });
            return true;
        } catch (IllegalArgumentException | LinkageError e) {
            return false;
        }
    }
}
