package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.Effect;
import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.PeerHeartbeat;
import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.routing.Router;
import java.util.function.Consumer;
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
    private final Cluster cluster;
    private final EffectSink effects;
    private final Consumer<ClusterView> views;
    private final String[] callOnPort;
    private long lastNowNs = Long.MIN_VALUE;
    /** What the other server's node last said of its calls in progress; -1 when unknown (link lost). */
    private int peerCallsInProgress = -1;

    /**
     * @param effects where the cluster's requests for off-thread work go (network check, status to the database)
     * @param views   receives a new {@link ClusterView} after every control event
     */
    RouterStage(Router router, int portCount, EffectSink effects, Consumer<ClusterView> views) {
        this.router = router;
        this.cluster = router.cluster();
        this.effects = effects;
        this.views = views;
        this.callOnPort = new String[portCount];
        router.ports().clearChanges(); // the monitor starts from the table's states as they are now
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        if (event.nowNs < lastNowNs) {
            event.nowNs = lastNowNs;
        } else {
            lastNowNs = event.nowNs;
        }
        switch (event.type) {
            case CALL_OFFERED -> {
                offer(event);
                if (event.decision.kind() == RoutingDecision.Kind.ANSWER) {
                    event.portState = portState(event.decision.portIndex());
                }
            }
            case CALL_ANSWERED -> {
                if (holdsPort(event)) {
                    router.answered(event.port, event.nowNs);
                    event.portState = portState(event.port);
                    event.routed = true;
                }
            }
            case CALL_ENDED -> {
                if (holdsPort(event)) {
                    router.ended(event.port, event.nowNs);
                    callOnPort[event.port] = null;
                    event.portState = portState(event.port);
                    event.routed = true;
                }
            }
            case HANG_UP, CONVERSATION_CHANGED -> event.routed = holdsPort(event);
            default -> control(event);
        }
        takeChanges(event);
    }

    /**
     * Hands the monitor the ports this event changed beyond its own port (a call's end that drained a server, a
     * status change): O(changed). A call event's own port travels in {@code portState}.
     */
    private void takeChanges(PipelineEvent event) {
        var ports = router.ports();
        int n = ports.changeCount();
        if (n == 0) {
            return;
        }
        int own = event.type == EventType.CALL_OFFERED ? event.decision.portIndex() : event.port;
        if (n > 1 || event.portState < 0 || ports.changedPort(0) != own) {
            event.portChanges = ports.changes();
        }
        ports.clearChanges();
    }

    /**
     * Everything that is not a call: the cluster state machine takes it, then the stage hands out the effects it
     * asked for and publishes the new cluster view. These events are rare next to calls, so allocating a view
     * here is fine.
     */
    private void control(PipelineEvent event) {
        long nowNs = event.nowNs;
        ActionResult result = switch (event.type) {
            case ADMIN_ACTION -> {
                AdminRequest request = (AdminRequest) event.payload;
                yield cluster.perform(request.action(), request.target(), request.force(), nowNs);
            }
            case PEER_ANSWER -> ((AdminRequest) event.payload).peerAnswer();
            case PEER_HEARTBEAT -> {
                HeartbeatContent hb = ((PeerHeartbeat) event.payload).content();
                peerCallsInProgress = hb.callsInProgress();
                if (hb.portSnapshot()) {
                    router.peerLost(); // a full snapshot follows: forget what the peer said before
                }
                for (PortDelta d : hb.deltas()) {
                    router.peerPortChanged(d.port(), d.state()); // PIMG: the peer's calls on shared ports
                }
                yield cluster.onPeerHeartbeat(hb.status(), hb.receiverStatus(), hb.epoch(), hb.takingCalls(),
                        hb.mergeDone(), nowNs);
            }
            case PEER_LOST -> {
                LOG.info("peer lost: {}", event.payload);
                peerCallsInProgress = -1;
                router.peerLost();
                yield cluster.onPeerLost(nowNs);
            }
            case TICK -> cluster.onTick(nowNs);
            case NETWORK_CHECK_RESULT -> cluster.onNetworkCheckResult((Boolean) event.payload, nowNs);
            case NODE_REPORT -> ((NodeReport) event.payload).applyTo(cluster, nowNs);
            case DEVICE_REGISTERED, DEVICE_UNREGISTERED -> {
                // One port changes and the cluster does not: no new view, no copy of every port.
                router.ports().setRegistered(event.port, event.type == EventType.DEVICE_REGISTERED, nowNs);
                event.portState = portState(event.port);
                event.routed = true;
                yield null;
            }
            default -> throw new IllegalStateException("not a control event: " + event.type);
        };
        if (event.type == EventType.DEVICE_REGISTERED || event.type == EventType.DEVICE_UNREGISTERED) {
            return;
        }
        event.result = result;
        event.routed = true;
        Effect effect = cluster.pollEffect();
        if (effect == null && event.type == EventType.TICK && result == ActionResult.NOTHING) {
            return; // a quiet tick: nothing changed, no new view
        }
        ClusterView view = ClusterView.of(cluster, peerCallsInProgress, nowNs);
        views.accept(view);
        for (; effect != null; effect = cluster.pollEffect()) {
            effects.onEffect(effect, view);
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

    private byte portState(int port) {
        return (byte) router.ports().state(port).ordinal();
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
            // Expected under load, not a fault: a call's ACK and BYE arrive together and are handled on two SIP
            // threads, so its ANSWERED may reach the ring after its ENDED (the port is free or taken again by
            // then); a retransmitted BYE does the same. Ignoring it is the right outcome.
            LOG.debug("ignored {} of call {} on port {}: the port holds call {}", event.type, event.callId, port,
                    holder);
            return false;
        }
        return true;
    }
}
