package io.vmport.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * Blocks on a lock until the events a stage waits for are available, whether it waits for the producers (the
 * router) or for the stages before it (every other stage). Disruptor's own {@code BlockingWaitStrategy} blocks
 * only for the producers and spins for the stages before: on two cores a spinning stage takes the CPU from the
 * very stage it waits for.
 *
 * <p>Wake-ups are targeted, one {@link WaitPoint} per step of the pipeline: producers wake only the router
 * ({@link #signalAllWhenBlocking()}, called by the sequencer on publish); a stage others wait for wakes only the
 * wait point of the stages after it ({@link SignallingStage}). A stage thread carries its wait point
 * ({@link StageThread}). A waiter re-reads the sequence under the lock before it waits, and a signaller
 * advances the sequence before it takes the lock, so no wake-up is lost. {@link #wakeAll()} after halting the
 * stages lets every waiter see the alert.
 */
final class StageBlockingWaitStrategy implements WaitStrategy {
    /** Where the stages of one step of the pipeline wait for the step before. */
    static final class WaitPoint {
        private final String name;

        WaitPoint(String name) {
            this.name = name;
        }

        void wake() {
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A stage's thread, with the wait point where it waits for the stages before it. */
    static final class StageThread extends Thread {
        final WaitPoint waitPoint;

        StageThread(Runnable stage, String name, WaitPoint waitPoint) {
            super(stage, name);
            this.waitPoint = waitPoint;
        }
    }

    /** Fallback wait for a thread that is no stage thread and so has no wait point: bounded, never lost. */
    private static final long UNKNOWN_WAITER_WAIT_MS = 1;

    private final WaitPoint producers = new WaitPoint("producers");
    private final List<WaitPoint> waitPoints = new ArrayList<>(List.of(producers));

    /** A new wait point, for the stages that wait for one step of the pipeline. Before start only. */
    WaitPoint newWaitPoint(String name) {
        WaitPoint point = new WaitPoint(name);
        waitPoints.add(point);
        return point;
    }

    /** Where the first stage waits for the producers. */
    WaitPoint producers() {
        return producers;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available < sequence) {
            Thread self = Thread.currentThread();
            WaitPoint point = self instanceof StageThread stage ? stage.waitPoint : producers;
            long waitMs = self instanceof StageThread ? 0 : UNKNOWN_WAITER_WAIT_MS;
            synchronized (point) {
                while ((available = dependentSequence.get()) < sequence) {
                    barrier.checkAlert();
                    point.wait(waitMs);
                }
            }
        }
        return available;
    }

    /** Producers published: wake the first stage. (Also called on alert; {@link #wakeAll()} completes that.) */
    @Override
    public void signalAllWhenBlocking() {
        producers.wake();
    }

    /** Wakes every waiter, e.g. so that halted stages see their alert. */
    void wakeAll() {
        for (WaitPoint point : waitPoints) {
            point.wake();
        }
    }

    @Override
    public String toString() {
        return "StageBlockingWaitStrategy" + waitPoints;
    }
}
