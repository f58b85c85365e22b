package io.vmport.loadtest;

import java.util.concurrent.TimeUnit;

/** Stops a process the load tools started, by its handle (its PID), never by name. */
public final class Processes {
    private Processes() {
    }

    /** SIGTERM, then SIGKILL when it is still alive {@code graceSeconds} later. */
    public static void stop(Process process, long graceSeconds) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
