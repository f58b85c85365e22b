package io.vmport.engine.peer;

/**
 * What this node says in its HELLO and heartbeats, implemented by the node. Called on the link's event-loop
 * thread, so the implementation must be safe to read from there while the pipeline updates it; it must not block.
 */
public interface HeartbeatSource {

    /** The newest epoch this node knows (ST-13), sent in HELLO. */
    long epoch();

    /**
     * The content of the next heartbeat, called once every heartbeat interval while the link is up. The
     * port deltas it returns are taken: give each change once, at most {@link HeartbeatContent#MAX_DELTAS} and
     * {@code maxDeltaBytes} bytes on the wire ({@link PortDelta#wireBytes()}) per call, and keep the rest for the
     * next call; after {@link PeerListener#onConnected} start with a full snapshot
     * ({@link HeartbeatContent#portSnapshot()}). Return null to skip this heartbeat (the peer may then find this node silent).
     */
    HeartbeatContent nextHeartbeat(int maxDeltaBytes);
}
