package io.vmport.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

/**
 * Blocks on a lock until the events a stage waits for are available, whether it waits for the producers (the
 * router) or for the stages before it (every other stage). Disruptor's own {@code BlockingWaitStrategy} blocks
 * only for the producers and spins for the stages before: on two cores a spinning stage takes the CPU from the
 * very stage it waits for.
 *
 * <p>Producers signal when they publish (the sequencer calls {@link #signalAllWhenBlocking()}); a stage that
 * others wait for signals at the end of each batch, once its sequence is advanced ({@link SignallingStage}).
 * A waiter re-reads the sequence under the lock before it waits, and a signaller advances the sequence before
 * it takes the lock, so no wake-up is lost.
 */
final class StageBlockingWaitStrategy implements WaitStrategy {
    private final Object mutex = new Object();

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available < sequence) {
            synchronized (mutex) {
                while ((available = dependentSequence.get()) < sequence) {
                    barrier.checkAlert();
                    mutex.wait();
                }
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        synchronized (mutex) {
            mutex.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "StageBlockingWaitStrategy";
    }
}
