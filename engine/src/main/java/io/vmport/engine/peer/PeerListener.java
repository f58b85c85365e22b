package io.vmport.engine.peer;

/**
 * What the peer link received, for the node to turn into pipeline events (the link never touches the
 * {@code Cluster}). Every method is called on the link's event-loop thread, one at a time, in arrival order:
 * publish and return, never block. An exception thrown here is logged and the link goes on.
 */
public interface PeerListener {

    /**
     * The peer introduced itself on a connection that the link now uses. Called when the link comes up, and again
     * (without {@link #onDisconnected} in between) when the link moves to another connection to the same peer
     * process. Deltas sent on an earlier connection may be lost: treat this as a new session and send the whole
     * port state again.
     */
    void onConnected(PeerHello hello);

    /** A heartbeat from the peer; {@code receivedAtNs} is the link clock's reading when it arrived. */
    void onHeartbeat(PeerHeartbeat heartbeat, long receivedAtNs);

    /**
     * The link went down: the peer closed it or said goodbye, a frame was malformed, or the peer was silent past
     * the timeout ({@code "silent for N ms ..."}). The link reconnects by itself; no call until it is up again.
     */
    void onDisconnected(String reason);

    /**
     * An administrative action from the peer, answered through {@link PeerLink#reply}: on this node's server it
     * was forwarded here, so apply it; on the peer's own server it is a notice that the peer applied it (the
     * heartbeat sent just before carries the result), so answer once this node shows that result.
     */
    void onAction(PeerAction action);

    /**
     * An answer to an action this node forwarded. The future returned by {@link PeerLink#sendAction} is completed
     * with it as well; this sees late answers too (after the future timed out).
     */
    default void onActionResult(PeerActionResult result) {
    }

    /**
     * A mailbox's messages changed on the peer (SPEC MW-1): read its counts again and send its MWI when this server
     * is PRIMARY. Hand the database read to another thread.
     */
    default void onMailboxChanged(PeerMailboxChanged change) {
    }
}
