package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.vmport.engine.routing.Router;
import io.vmport.engine.routing.RoutingDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage and the only writer of cluster and port state: it calls the {@link Router} for every call
 * event and writes the decision into the slot, so neither needs a lock.
 *
 * <p>It also keeps which call holds each port, so that a late or repeated answer, end or hang-up (a retransmitted
 * BYE after the port took a new call) is ignored instead of ending the wrong call. And it clamps {@code nowNs}
 * so that time never goes backwards across producers whose stamps and claims interleave.
 */
final class RouterStage implements EventHandler<PipelineEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(RouterStage.class);

    private final Router router;
    private final String[] callOnPort;
    private long lastNowNs = Long.MIN_VALUE;

    RouterStage(Router router, int portCount) {
        this.router = router;
        this.callOnPort = new String[portCount];
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        if (event.nowNs < lastNowNs) {
            event.nowNs = lastNowNs;
        } else {
            lastNowNs = event.nowNs;
        }
        switch (event.type) {
            case CALL_OFFERED -> offer(event);
            case CALL_ANSWERED -> {
                if (holdsPort(event)) {
                    router.answered(event.port, event.nowNs);
                    event.routed = true;
                }
            }
            case CALL_ENDED -> {
                if (holdsPort(event)) {
                    router.ended(event.port, event.nowNs);
                    callOnPort[event.port] = null;
                    event.routed = true;
                }
            }
            case HANG_UP -> event.routed = holdsPort(event);
            // The cluster state machine takes these when the domain lands; until then they pass through.
            case ADMIN_ACTION, PEER_HEARTBEAT, TICK, DEVICE_REGISTERED, DEVICE_UNREGISTERED,
                    NETWORK_CHECK_RESULT -> event.routed = true;
        }
    }

    private void offer(PipelineEvent event) {
        RoutingDecision decision = event.decision;
        decision.reset();
        router.offer(event.server, event.port, event.nowNs, decision);
        if (decision.kind() == RoutingDecision.Kind.ANSWER) {
            int port = decision.portIndex();
            if (port < 0 || port >= callOnPort.length) {
                throw new IllegalStateException("router answered on port " + port + " outside the port plan 0.."
                        + (callOnPort.length - 1));
            }
            if (callOnPort[port] != null) {
                LOG.error("router gave port {} to call {} while it holds call {}", port, event.callId,
                        callOnPort[port]);
            }
            callOnPort[port] = event.callId;
        }
        event.routed = true;
    }

    /** True when the event names a port of the plan and the call that holds it. */
    private boolean holdsPort(PipelineEvent event) {
        int port = event.port;
        if (port < 0 || port >= callOnPort.length) {
            LOG.warn("ignored {}: port {} is outside the port plan 0..{}", event.type, port, callOnPort.length - 1);
            return false;
        }
        String holder = callOnPort[port];
        if (holder == null || !holder.equals(event.callId)) {
            LOG.warn("ignored {} of call {} on port {}: the port holds call {}", event.type, event.callId, port,
                    holder);
            return false;
        }
        return true;
    }
}
