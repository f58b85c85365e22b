package io.vmport.config;

import java.util.Optional;

/**
 * One node's bootstrap configuration (SPEC CL-2): what is not in the shared database. Read by
 * {@link NodeConfigLoader} from the YAML file of {@code vmport node --config FILE}; checked as a whole on
 * construction, so that two listeners of one node never claim the same port.
 *
 * @param server   which server of the cluster this node is
 * @param sip      the SIP listener and the trunk's allowed sources
 * @param admin    the admin HTTP API
 * @param peer     the link to the other node
 * @param database the shared database
 * @param logLevel the node's log level
 * @param cluster  the cluster to create when the database has none; empty for a node joining one
 * @param media    where this node's RTP sockets bind (SPEC MD-1)
 */
public record NodeConfig(ServerName server, SipConfig sip, AdminConfig admin, PeerConfig peer,
                         DatabaseConfig database, LogLevel logLevel, Optional<ClusterBootstrap> cluster,
                         MediaConfig media) {
    public static final LogLevel DEFAULT_LOG_LEVEL = LogLevel.INFO;

    public NodeConfig {
        Checks.present("server", server, "publisher or subscriber");
        Checks.present("sip", sip, "the sip map");
        Checks.present("admin", admin, "the admin map");
        Checks.present("peer", peer, "the peer map");
        Checks.present("database", database, "the database map");
        Checks.present("logLevel", logLevel, LogLevel.allowedNames());
        Checks.present("cluster", cluster, "Optional.empty() for no cluster block");
        Checks.present("media", media, "the media map");
        // SIP listens on TCP too, so every listener of this node needs its own TCP port.
        HostPort sipEnd = new HostPort(sip.host(), sip.port());
        HostPort adminEnd = new HostPort(admin.host(), admin.port());
        if (adminEnd.sameEndpoint(sipEnd)) {
            throw new ConfigException("admin.port", admin.port(),
                    "a port other than sip.port (" + sip.port() + ") when both listen on the same host");
        }
        if (peer.listen().sameEndpoint(sipEnd)) {
            throw new ConfigException("peer.listen", peer.listen(),
                    "a host:port other than the SIP listener's (" + sipEnd + ")");
        }
        if (peer.listen().sameEndpoint(adminEnd)) {
            throw new ConfigException("peer.listen", peer.listen(),
                    "a host:port other than the admin listener's (" + adminEnd + ")");
        }
        // SIP listens on UDP, as RTP does: the range must leave the SIP port out.
        if (media.claims(sip.host(), sip.port())) {
            throw new ConfigException("media.rtpPorts", media.firstRtpPort() + "-" + media.lastRtpPort(),
                    "a range that leaves out sip.port (" + sip.port() + ") when both listen on the same host");
        }
    }

    /** With the default RTP range on the SIP host. */
    public NodeConfig(ServerName server, SipConfig sip, AdminConfig admin, PeerConfig peer, DatabaseConfig database,
                      LogLevel logLevel, Optional<ClusterBootstrap> cluster) {
        this(server, sip, admin, peer, database, logLevel, cluster, MediaConfig.defaults(sip.host()));
    }
}
