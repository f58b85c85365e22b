package io.vmport.engine.pipeline;

/** What a {@link PipelineEvent} carries. Every change of node state enters the ring as one of these. */
public enum EventType {
    /** A phone system offers a call (SPEC CA-1); the router answers, redirects or refuses it. */
    CALL_OFFERED,
    /** The call answered on a port is connected (SIP ACK, SCCP off hook). */
    CALL_ANSWERED,
    /** The call on a port ended (BYE, CANCEL, on hook) and the port is free again. */
    CALL_ENDED,
    /** The engine asks the adapter to hang up the call on a port (SPEC CA-5); the adapter then reports CALL_ENDED. */
    HANG_UP,
    /** An administrative action (SPEC PM-3); its {@link AdminRequest} is the payload. */
    ADMIN_ACTION,
    /**
     * The other server's node answered an action (PM-4); the {@link AdminRequest} carrying its answer is the
     * payload. The cluster does not change: the heartbeat that node sent just before brought the new state, and
     * this event, behind it in the ring, completes the request only once this node shows that state too.
     */
    PEER_ANSWER,
    /** A heartbeat from the other server (SPEC ST-11); its {@code PeerHeartbeat} is the payload. */
    PEER_HEARTBEAT,
    /** The peer link reports the other server gone: closed, or silent past its timeout (SPEC ST-8, ST-12). */
    PEER_LOST,
    /** Time passes: lets stages act on timeouts and publish pending state without other traffic. */
    TICK,
    /** An SCCP port device registered with the phone system (SPEC CA-3). */
    DEVICE_REGISTERED,
    /** An SCCP port device is no longer registered. */
    DEVICE_UNREGISTERED,
    /** The result of checking this node's network before taking over (SPEC ST-8); payload is a Boolean. */
    NETWORK_CHECK_RESULT,
    /** Something the node learnt off the ring for the cluster (ST-7, ST-12, ST-13); payload is a {@link NodeReport}. */
    NODE_REPORT,
    /**
     * The conversation of the call on a port moved on (SPEC MD-6); payload is a {@link ConversationChange}. Only the
     * port monitor uses it: queries then read conversation and mailbox from the snapshot, never from a call.
     */
    CONVERSATION_CHANGED
}
