package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;

/**
 * Wraps a stage that other stages wait for: at the end of each batch it advances the stage's sequence itself
 * (through Disruptor's sequence callback: the processor would do so only after this returns) and then wakes
 * the waiters of a {@link StageBlockingWaitStrategy}. Done in finally, so a failing event does not leave the
 * stages after it asleep.
 */
final class SignallingStage implements EventHandler<PipelineEvent> {
    private final EventHandler<PipelineEvent> stage;
    private final WaitStrategy waitStrategy;
    private Sequence sequence;

    SignallingStage(EventHandler<PipelineEvent> stage, WaitStrategy waitStrategy) {
        this.stage = stage;
        this.waitStrategy = waitStrategy;
    }

    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
        this.sequence = sequenceCallback;
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) throws Exception {
        try {
            stage.onEvent(event, sequence, endOfBatch);
        } finally {
            if (endOfBatch) {
                this.sequence.set(sequence);
                waitStrategy.signalAllWhenBlocking();
            }
        }
    }
}
