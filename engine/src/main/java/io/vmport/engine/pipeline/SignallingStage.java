package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.Sequence;

/**
 * Wraps a stage that other stages wait for: at the end of each batch it advances the stage's sequence itself
 * (through Disruptor's sequence callback: the processor would do so only after this returns) and then wakes
 * the stages that wait for it at their {@link StageBlockingWaitStrategy.WaitPoint}, even after a failing event,
 * so the stages after it never stay asleep. It reports a failure to the stage's exception handler itself,
 * before it advances the sequence: once advanced, the release stage may clear the slot, and the failure would
 * be logged without its event.
 */
final class SignallingStage implements EventHandler<PipelineEvent> {
    private final EventHandler<PipelineEvent> stage;
    private final ExceptionHandler<PipelineEvent> failures;
    private final StageBlockingWaitStrategy.WaitPoint next;
    private Sequence sequence;

    /** @param next where the stages that wait for this one wait */
    SignallingStage(EventHandler<PipelineEvent> stage, ExceptionHandler<PipelineEvent> failures,
                    StageBlockingWaitStrategy.WaitPoint next) {
        this.stage = stage;
        this.failures = failures;
        this.next = next;
    }

    @Override
    public void setSequenceCallback(Sequence sequenceCallback) {
        this.sequence = sequenceCallback;
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        try {
            stage.onEvent(event, sequence, endOfBatch);
        } catch (Throwable ex) {
            failures.handleEventException(ex, sequence, event);
        } finally {
            if (endOfBatch) {
                // volatile, not set(): the store must be visible before wake() reads the waiter count
                this.sequence.setVolatile(sequence);
                next.wake();
            }
        }
    }
}
