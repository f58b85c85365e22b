package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.peer.PeerHeartbeat;
import java.util.concurrent.CompletableFuture;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * How producers (SIP threads, Netty event loops, the admin API, the peer link, timers) put events into the
 * pipeline. Thread-safe: any number of threads publish at once. Each method stamps the event with the
 * pipeline's {@link NanoClock} and allocates nothing.
 *
 * <p>Offers come in two kinds: {@link #tryOffer} fails fast when the ring is full, so the SIP layer answers 503
 * instead of blocking under a flood (SPEC BI-1); {@link #offer} waits for room. Every other event waits for
 * room: an answer or end that was dropped would leave a port busy for ever.
 *
 * <p>Events are written straight into the claimed slot, in try/finally so that a claimed sequence is always
 * published. (Disruptor's translators take at most three arguments, and as generic arguments the primitives
 * {@code nowNs} and the port would be boxed; claiming and filling the slot is the same thing without either.)
 * A method that returns normally has published its event; after {@link Pipeline#stop()} they refuse.
 */
public final class PipelineProducer {
    private final RingBuffer<PipelineEvent> ring;
    private final NanoClock clock;
    private final Pipeline pipeline;
    private final int portCount;
    private final LongAdder rejectedOffers = new LongAdder();

    PipelineProducer(RingBuffer<PipelineEvent> ring, NanoClock clock, Pipeline pipeline, int portCount) {
        this.ring = ring;
        this.clock = clock;
        this.pipeline = pipeline;
        this.portCount = portCount;
    }

    /**
     * Offers a call, or returns false at once when the ring has no free slot or the pipeline is stopping: answer
     * the caller 503 then. On true, the router's decision reaches {@code reply} on the reply thread.
     *
     * @param landedOn    the server the call arrived on
     * @param portHint    the port the phone system named (SCCP device index, PIMG gateway port number 1..N), or -1
     *                    for a SIP trunk
     * @param callId      the call's identity (SIP Call-ID, SCCP call reference); repeated in answered and ended
     * @param caller      calling number, or null
     * @param called      called number, or null
     * @param redirecting redirecting (forwarding) number, or null
     * @param reason      why the call came to voice messaging, or null
     * @param reply       the adapter's handle on this call
     */
    public boolean tryOffer(ServerName landedOn, int portHint, String callId, String caller, String called,
                            String redirecting, CallReason reason, CallReply reply) {
        checkOffer(landedOn, portHint, callId, reply);
        if (!pipeline.accepting()) {
            rejectedOffers.increment();
            return false;
        }
        final long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            rejectedOffers.increment();
            return false;
        }
        try {
            ring.get(sequence).fillCall(EventType.CALL_OFFERED, clock.nanoTime(), landedOn, portHint, callId, caller,
                    called, redirecting, reason, reply);
        } finally {
            ring.publish(sequence);
        }
        return true;
    }

    /** As {@link #tryOffer}, but waits for a free slot. */
    public void offer(ServerName landedOn, int portHint, String callId, String caller, String called,
                      String redirecting, CallReason reason, CallReply reply) {
        checkOffer(landedOn, portHint, callId, reply);
        publishCall(EventType.CALL_OFFERED, landedOn, portHint, callId, caller, called, redirecting, reason, reply);
    }

    /** The call answered on {@code portIndex} is connected (SIP ACK, SCCP off hook). */
    public void answered(int portIndex, String callId) {
        publishCall(EventType.CALL_ANSWERED, null, checkPort(portIndex), Objects.requireNonNull(callId, "callId"),
                null, null, null, null, null);
    }

    /** The call on {@code portIndex} ended (BYE, CANCEL, on hook); its port is free. */
    public void ended(int portIndex, String callId) {
        publishCall(EventType.CALL_ENDED, null, checkPort(portIndex), Objects.requireNonNull(callId, "callId"),
                null, null, null, null, null);
    }

    /** Asks the adapter to hang up the call on {@code portIndex} (SPEC CA-5); it then reports {@link #ended}. */
    public void hangUp(int portIndex, String callId) {
        publishCall(EventType.HANG_UP, null, checkPort(portIndex), Objects.requireNonNull(callId, "callId"),
                null, null, null, null, null);
    }

    /**
     * The conversation of the call on {@code portIndex} moved on (SPEC MD-6); ignored once the port no longer
     * holds {@code callId}.
     */
    public void conversationChanged(int portIndex, String callId, ConversationChange change) {
        Objects.requireNonNull(change, "change");
        ensureAccepting();
        long sequence = ring.next();
        try {
            PipelineEvent event = ring.get(sequence);
            event.fillCall(EventType.CONVERSATION_CHANGED, clock.nanoTime(), null, checkPort(portIndex),
                    Objects.requireNonNull(callId, "callId"), null, null, null, null, null);
            event.payload = change;
        } finally {
            ring.publish(sequence);
        }
    }

    /** Time passes (the pipeline's timer calls this; so may tests). */
    public void tick() {
        publishOther(EventType.TICK, null, -1, null);
    }

    /**
     * An administrative action (SPEC PM-3). The request's future completes once the router stage has performed
     * it, the reply stage has hung up any call it dropped and the cluster view and port-monitor snapshot that
     * queries read show it.
     */
    public CompletableFuture<ActionResult> adminAction(AdminRequest request) {
        if (request.peerAnswer() != null) {
            throw new IllegalArgumentException("the other node performed " + request + " already: use peerAnswered");
        }
        publishOther(EventType.ADMIN_ACTION, request.target(), -1, request);
        return request.result();
    }

    /**
     * The other server's node answered an action (PM-4); publish it from the thread that published that node's
     * heartbeats, so that it follows the one sent with the answer. The future completes with the answer once this
     * node's cluster view and snapshot show what that heartbeat said.
     */
    public CompletableFuture<ActionResult> peerAnswered(AdminRequest answered) {
        if (answered.peerAnswer() == null) {
            throw new IllegalArgumentException(answered + " carries no answer: make it with AdminRequest.answeredByPeer");
        }
        publishOther(EventType.PEER_ANSWER, answered.target(), -1, answered);
        return answered.result();
    }

    /** A heartbeat from the peer (SPEC ST-11), stamped with when it arrived. */
    public void peerHeartbeat(PeerHeartbeat heartbeat) {
        publishOther(EventType.PEER_HEARTBEAT, heartbeat.sender(), -1, heartbeat);
    }

    /** The peer link lost the other server (closed, or silent past the timeout); {@code why} is logged. */
    public void peerLost(String why) {
        publishOther(EventType.PEER_LOST, null, -1, Objects.requireNonNull(why, "why"));
    }

    /** The SCCP port device of {@code portIndex} registered (SPEC CA-3). */
    public void deviceRegistered(int portIndex) {
        publishOther(EventType.DEVICE_REGISTERED, null, checkPort(portIndex), null);
    }

    /** The SCCP port device of {@code portIndex} is no longer registered. */
    public void deviceUnregistered(int portIndex) {
        publishOther(EventType.DEVICE_UNREGISTERED, null, checkPort(portIndex), null);
    }

    /** Something the node learnt off the ring (the database, its journal) for the cluster (ST-7, ST-12, ST-13). */
    public void report(NodeReport report) {
        publishOther(EventType.NODE_REPORT, null, -1, Objects.requireNonNull(report, "report"));
    }

    /** Whether this node reached one of its network-check addresses (SPEC ST-8). */
    public void networkCheckResult(boolean reachable) {
        publishOther(EventType.NETWORK_CHECK_RESULT, null, -1, Boolean.valueOf(reachable));
    }

    /** Free slots in the ring now. */
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    /** Offers refused by {@link #tryOffer} since the start, ring full or pipeline stopping. */
    public long rejectedOffers() {
        return rejectedOffers.sum();
    }

    private void publishCall(EventType type, ServerName server, int port, String callId, String caller,
                             String called, String redirecting, CallReason reason, CallReply reply) {
        ensureAccepting();
        long sequence = ring.next();
        try {
            ring.get(sequence).fillCall(type, clock.nanoTime(), server, port, callId, caller, called, redirecting,
                    reason, reply);
        } finally {
            ring.publish(sequence);
        }
    }

    private void publishOther(EventType type, ServerName server, int port, Object payload) {
        ensureAccepting();
        long sequence = ring.next();
        try {
            ring.get(sequence).fillOther(type, clock.nanoTime(), server, port, payload);
        } finally {
            ring.publish(sequence);
        }
    }

    private void ensureAccepting() {
        if (!pipeline.accepting()) {
            throw new IllegalStateException("the pipeline is stopped; events are no longer accepted");
        }
    }

    private void checkOffer(ServerName landedOn, int portHint, String callId, CallReply reply) {
        Objects.requireNonNull(landedOn, "landedOn");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(reply, "reply");
        // A port the plan does not have is the phone system's mistake, not ours: the router refuses it with
        // UNKNOWN_PORT so the caller gets a clear answer. Only a negative hint other than -1 is a bug here.
        if (portHint < -1) {
            throw new IllegalArgumentException("portHint must be -1 (no port named) or a port the phone system"
                    + " names (SCCP device index, PIMG gateway port number), was " + portHint);
        }
    }

    private int checkPort(int portIndex) {
        if (portIndex < 0 || portIndex >= portCount) {
            throw new IllegalArgumentException("portIndex must be from 0 to " + (portCount - 1) + ", was "
                    + portIndex);
        }
        return portIndex;
    }
}
