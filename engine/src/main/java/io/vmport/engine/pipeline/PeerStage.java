package io.vmport.engine.pipeline;

import io.vmport.engine.ports.PortState;
import com.lmax.disruptor.EventHandler;
import io.vmport.engine.routing.RoutingDecision;

/** Sends each port-state change to the other server through the {@link PeerSink} (SPEC ST-11). */
final class PeerStage implements EventHandler<PipelineEvent> {
    private final PeerSink sink;

    PeerStage(PeerSink sink) {
        this.sink = sink;
    }

    @Override
    public void onEvent(PipelineEvent e, long sequence, boolean endOfBatch) {
        try {
            if (e.routed) {
                apply(e);
            }
        } finally {
            if (endOfBatch) {
                sink.flush();
            }
        }
    }

    private void apply(PipelineEvent e) {
        switch (e.type) {
            case CALL_OFFERED -> {
                if (e.decision.kind() == RoutingDecision.Kind.ANSWER) {
                    sink.portChanged(e.decision.portIndex(), PortState.RINGING, e.server, e.nowNs);
                }
            }
            case CALL_ANSWERED -> sink.portChanged(e.port, PortState.IN_CALL, null, e.nowNs);
            case CALL_ENDED -> sink.portChanged(e.port, PortState.IDLE, null, e.nowNs);
            default -> {
            }
        }
    }
}
