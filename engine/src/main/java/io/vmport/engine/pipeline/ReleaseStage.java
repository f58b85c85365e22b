package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;

/**
 * The last stage, after every other has read the slot: clears it so that the ring keeps no reference to a
 * finished call (its reply handle, its numbers) until the slot's next use, which at low traffic can be hours.
 */
final class ReleaseStage implements EventHandler<PipelineEvent> {
    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        event.clear();
    }
}
