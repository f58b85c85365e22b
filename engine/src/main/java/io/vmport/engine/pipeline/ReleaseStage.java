package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;

/**
 * The last stage, after every other has read the slot. It answers an administrative action here, because only
 * now is every effect of it visible: the cluster view (router), the hung-up calls (reply) and the port-monitor
 * snapshot (monitor) that queries read (PM-2: the answer and every later query agree). Then it clears the slot so
 * that the ring keeps no reference to a finished call (its reply handle, its numbers) until the slot's next use,
 * which at low traffic can be hours.
 */
final class ReleaseStage implements EventHandler<PipelineEvent> {
    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        if (event.type == EventType.ADMIN_ACTION || event.type == EventType.PEER_ANSWER) {
            ((AdminRequest) event.payload).result().complete(event.result);
        }
        event.clear();
    }
}
