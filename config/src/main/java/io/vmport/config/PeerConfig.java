package io.vmport.config;

/**
 * The link to the other server of the cluster (SPEC ST-11 heartbeats, replication).
 *
 * @param listen  this node's end: where it accepts the peer's connection
 * @param address the other node's end: where this node connects to
 */
public record PeerConfig(HostPort listen, HostPort address) {
    public PeerConfig {
        Checks.present("peer.listen", listen, HostPort.ALLOWED);
        Checks.present("peer.address", address, HostPort.ALLOWED);
        if (listen.sameEndpoint(address)) {
            throw new ConfigException("peer.address", address,
                    "the other node's host:port, different from peer.listen (" + listen + ")");
        }
    }
}
