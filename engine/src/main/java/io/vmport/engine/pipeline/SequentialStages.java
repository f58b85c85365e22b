package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;

import java.util.List;

/**
 * Several stages on one thread: hands each event to every stage in turn. A stage that throws is reported to its
 * own exception handler, with the event, and the next stage still gets the event.
 */
final class SequentialStages implements EventHandler<PipelineEvent> {
    private final List<EventHandler<PipelineEvent>> stages;
    private final List<ExceptionHandler<PipelineEvent>> failures;

    /** {@code failures.get(i)} handles what {@code stages.get(i)} throws. */
    SequentialStages(List<EventHandler<PipelineEvent>> stages, List<ExceptionHandler<PipelineEvent>> failures) {
        if (stages.size() != failures.size()) {
            throw new IllegalArgumentException(
                    stages.size() + " stages but " + failures.size() + " exception handlers");
        }
        this.stages = List.copyOf(stages);
        this.failures = List.copyOf(failures);
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        for (int i = 0, n = stages.size(); i < n; i++) {
            try {
                stages.get(i).onEvent(event, sequence, endOfBatch);
            } catch (Throwable ex) {
                failures.get(i).handleEventException(ex, sequence, event);
            }
        }
    }
}
