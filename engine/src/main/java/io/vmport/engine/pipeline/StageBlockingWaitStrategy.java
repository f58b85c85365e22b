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
 * ({@link StageThread}). A waiter counts itself and re-reads the sequence under the lock before it waits; a
 * signaller advances the sequence with a full fence (producers: the claim's CAS on the cursor; stages:
 * {@code setVolatile}) before it looks for waiters. So no wake-up is lost, and a signal with nobody waiting
 * costs no lock. {@link #wakeAll()} after halting the stages lets every waiter see the alert.
 */
final class StageBlockingWaitStrategy implements WaitStrategy {
    /** Where the stages of one step of the pipeline wait for the step before. */
    static final class WaitPoint {
        private final String name;
        /** Threads waiting here; changed under this point's lock, read without it by {@link #wake()}. */
        private volatile int waiters;

        WaitPoint(String name) {
            this.name = name;
        }

        /**
         * Wakes the threads waiting here, and costs no lock when none is. Safe because a waiter counts itself
         * before it reads the sequence it waits for, and a signaller advances that sequence before it reads the
         * count (both volatile): either the waiter sees the new sequence or the signaller sees the waiter.
         */
        void wake() {
            if (waiters > 0) {
                wakeAlways();
            }
        }

        void wakeAlways() {
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
                point.waiters++;
                try {
                    while ((available = dependentSequence.get()) < sequence) {
                        barrier.checkAlert();
                        point.wait(waitMs);
                    }
                } finally {
                    point.waiters--;
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
            point.wakeAlways();
        }
    }

    @Override
    public String toString() {
        return "StageBlockingWaitStrategy" + waitPoints;
    }
}
