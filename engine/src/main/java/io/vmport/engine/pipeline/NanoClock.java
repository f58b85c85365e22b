package io.vmport.engine.pipeline;

/**
 * The clock producers stamp events with. Only producers read it: stages and the domain take time from the
 * event's {@code nowNs}, so tests step a manual clock instead of sleeping.
 */
@FunctionalInterface
public interface NanoClock {
    NanoClock SYSTEM = System::nanoTime;

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();
}
