package io.vmport.engine.pipeline;

import io.vmport.engine.ports.PortState;
import io.vmport.config.ServerName;

/**
 * Where the peer stage sends port-state deltas for the other server (SPEC ST-11). Called on the peer thread
 * only; {@link #flush()} at the end of each batch. Must not block.
 */
public interface PeerSink {
    /** Does nothing: until the peer link exists, and in benchmarks. */
    PeerSink NO_OP = new PeerSink() {
        @Override
        public void portChanged(int portIndex, PortState state, ServerName server, long nowNs) {
        }

        @Override
        public void flush() {
        }
    };

    /** A port's live state changed; {@code server} is the server handling the port's call, null when none. */
    void portChanged(int portIndex, PortState state, ServerName server, long nowNs);

    /** End of a batch: send what was collected. */
    void flush();
}
