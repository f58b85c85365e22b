package io.vmport.engine.peer;

/** One frame's content: what {@link PeerFrameDecoder} produces and {@link PeerFrameEncoder} writes. */
sealed interface PeerMessage permits PeerHello, PeerHeartbeat, PeerAction, PeerActionResult, PeerBye,
        PeerMailboxChanged {
}
