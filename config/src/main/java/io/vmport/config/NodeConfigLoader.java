package io.vmport.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a node's bootstrap file (SPEC CL-2; format in DESIGN.md section 4) into a {@link NodeConfig}. Every
 * mistake is refused with a {@link ConfigException} whose message names the file and line, the dotted field,
 * the value as written and what is allowed (SPEC BI-3): unknown keys included, so a typo is never ignored.
 */
public final class NodeConfigLoader {
    static final String FILE_TEXT = "a readable UTF-8 YAML file";

    private static final String[] TOP_KEYS = {"server", "sip", "admin", "peer", "database", "logLevel", "cluster",
        "media"};
    private static final String[] SETTINGS_KEYS = {"heartbeatIntervalMs", "localHeartbeatTimeoutMs",
        "remoteHeartbeatTimeoutMs", "heartbeatTrace", "autoFailover", "autoFailback", "failbackHoldDownMs",
        "deactivateOnBacklog", "replicationBacklogLimit", "absorbPeerPortsOnFailover", "huntOrder", "networkCheck",
        "maxMessageSeconds", "silenceSeconds", "minMessageSeconds", "mediaTimeoutSeconds",
        "mwiTarget", "mwiSendsPerSecond"};
    private static final String SERVER_TEXT = "publisher or subscriber";
    private static final String NETWORK_CHECK_TEXT = "a list of one or more IP addresses or host names that a "
            + "SECONDARY must reach before it takes over, e.g. [10.0.0.1, gw.example.com] "
            + "(to never take over, set autoFailover: false)";

    private NodeConfigLoader() {
    }

    /** Reads and checks the file; a file that is missing or unreadable is refused with its path. */
    public static NodeConfig load(Path file) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw ConfigException.document(source, -1, -1, "is a directory, not a configuration file", FILE_TEXT, null);
        }
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ConfigException.document(source, -1, -1, "the configuration file does not exist", FILE_TEXT, e);
        } catch (AccessDeniedException e) {
            throw ConfigException.document(source, -1, -1, "the configuration file cannot be read: permission denied",
                    FILE_TEXT, e);
        } catch (CharacterCodingException e) {
            throw ConfigException.document(source, -1, -1, "the configuration file is not UTF-8 text", FILE_TEXT, e);
        } catch (IOException e) {
            throw ConfigException.document(source, -1, -1, "the configuration file cannot be read: " + e, FILE_TEXT, e);
        }
        return parse(yaml, source);
    }

    /**
     * Reads and checks a bootstrap document.
     *
     * @param sourceName names the document in messages, e.g. its path
     */
    public static NodeConfig parse(String yaml, String sourceName) {
        YamlNode root = YamlReader.read(yaml, sourceName);
        if (root.kind() == YamlNode.Kind.NULL && root.text().isEmpty()) {
            throw ConfigException.document(sourceName, -1, -1, "the configuration is empty",
                    "a YAML map with the keys " + String.join(", ", TOP_KEYS), null);
        }
        try {
            return node(YamlFields.of("", root, TOP_KEYS));
        } catch (ConfigException e) {
            throw e.at(sourceName + ", line " + root.lineOf(e.field()));
        }
    }

    private static NodeConfig node(YamlFields top) {
        ServerName server = ServerName.fromConfigName(top.path("server"), top.string("server", SERVER_TEXT));
        SipConfig sip = sip(top.map("sip", "host", "port", "allow", "overloadTargetMs",
                "redirectMaxRingingPercent"));
        AdminConfig admin = admin(top.map("admin", "host", "port", "token"));
        PeerConfig peer = peer(top.map("peer", "listen", "address"));
        DatabaseConfig database = database(top.map("database", "url", "user", "password", "embedded", "poolSize",
                "connectTimeoutMs", "socketTimeoutMs", "ownNodeTimeoutMs"));
        LogLevel logLevel = top.optionalString("logLevel", LogLevel.allowedNames())
                .map(name -> LogLevel.fromConfigName(top.path("logLevel"), name))
                .orElse(NodeConfig.DEFAULT_LOG_LEVEL);
        Optional<ClusterBootstrap> cluster = top.optionalMap("cluster", "integration", "ports", "huntOrder", "settings")
                .map(NodeConfigLoader::cluster);
        MediaConfig media = top.optionalMap("media", "host", "rtpPorts").map(m -> media(m, sip.host()))
                .orElseGet(() -> MediaConfig.defaults(sip.host()));
        top.done();
        return new NodeConfig(server, sip, admin, peer, database, logLevel, cluster, media);
    }

    private static SipConfig sip(YamlFields sip) {
        String host = sip.string("host", Hosts.HOST_TEXT);
        int port = (int) sip.integer("port", Checks.MIN_PORT, Checks.MAX_PORT);
        List<Cidr> allow = sip.list("allow", SipConfig.ALLOW_TEXT, Cidr::parse);
        int overloadTargetMs = (int) sip.integerOr("overloadTargetMs", 0, 400, SipConfig.DEFAULT_OVERLOAD_TARGET_MS);
        int redirectMaxRingingPercent = (int) sip.integerOr("redirectMaxRingingPercent", 0, 100,
                SipConfig.DEFAULT_REDIRECT_MAX_RINGING_PERCENT);
        sip.done();
        return new SipConfig(host, port, allow, overloadTargetMs, redirectMaxRingingPercent);
    }

    private static AdminConfig admin(YamlFields admin) {
        String host = admin.optionalString("host", Hosts.HOST_TEXT).orElse(AdminConfig.DEFAULT_HOST);
        int port = (int) admin.integer("port", Checks.MIN_PORT, Checks.MAX_PORT);
        String token = admin.secret("token", AdminConfig.TOKEN_TEXT);
        admin.done();
        return new AdminConfig(host, port, token);
    }

    /** The host defaults to SIP's, the range to DESIGN's 20000-29999. */
    private static MediaConfig media(YamlFields media, String sipHost) {
        String host = media.optionalString("host", Hosts.HOST_TEXT).orElse(sipHost);
        int[] range = media.optionalString("rtpPorts", MediaConfig.RANGE_TEXT)
                .map(text -> MediaConfig.parseRange(media.path("rtpPorts"), text))
                .orElse(new int[] {MediaConfig.DEFAULT_FIRST_RTP_PORT, MediaConfig.DEFAULT_LAST_RTP_PORT});
        media.done();
        return new MediaConfig(host, range[0], range[1]);
    }

    private static PeerConfig peer(YamlFields peer) {
        HostPort listen = HostPort.parse(peer.path("listen"), peer.string("listen", HostPort.ALLOWED));
        HostPort address = HostPort.parse(peer.path("address"), peer.string("address", HostPort.ALLOWED));
        peer.done();
        return new PeerConfig(listen, address);
    }

    private static DatabaseConfig database(YamlFields db) {
        boolean embedded = db.has("embedded");
        List<String> external = List.of("url", "user", "password").stream().filter(db::has).toList();
        if (embedded == !external.isEmpty()) {
            String given = embedded ? "embedded and " + String.join(", ", external) : "neither url nor embedded";
            throw new ConfigException("database", given, DatabaseConfig.FORMS_TEXT);
        }
        int poolSize = (int) db.integerOr("poolSize", DatabaseConfig.MIN_POOL_SIZE, DatabaseConfig.MAX_POOL_SIZE,
                DatabaseConfig.DEFAULT_POOL_SIZE);
        List<String> timeoutKeys = List.of("connectTimeoutMs", "socketTimeoutMs", "ownNodeTimeoutMs").stream()
                .filter(db::has).toList();
        if (embedded && !timeoutKeys.isEmpty()) {
            throw new ConfigException("database", "embedded with " + String.join(", ", timeoutKeys),
                    "the timeouts with url only: the embedded database runs beside the node");
        }
        DatabaseConfig config;
        if (embedded) {
            String dir = db.string("embedded", DatabaseConfig.DIR_TEXT);
            try {
                config = DatabaseConfig.embedded(Path.of(dir), poolSize);
            } catch (InvalidPathException e) {
                throw new ConfigException(db.path("embedded"), dir, DatabaseConfig.DIR_TEXT);
            }
        } else {
            config = DatabaseConfig.external(db.string("url", DatabaseConfig.URL_TEXT),
                    db.string("user", DatabaseConfig.USER_TEXT),
                    db.secret("password", DatabaseConfig.PASSWORD_TEXT), poolSize, timeouts(db));
        }
        db.done();
        return config;
    }

    /** The database block's timeouts (issue 18), each its default when left out. */
    private static DatabaseTimeouts timeouts(YamlFields db) {
        return new DatabaseTimeouts(
                db.integerOr("connectTimeoutMs", DatabaseTimeouts.MIN_CONNECT_MS, DatabaseTimeouts.MAX_MS,
                        DatabaseTimeouts.DEFAULT_CONNECT_MS),
                db.integerOr("socketTimeoutMs", 0, DatabaseTimeouts.MAX_SOCKET_MS, DatabaseTimeouts.DEFAULT_SOCKET_MS),
                db.integerOr("ownNodeTimeoutMs", DatabaseTimeouts.MIN_OWN_NODE_MS, DatabaseTimeouts.MAX_MS,
                        DatabaseTimeouts.DEFAULT_OWN_NODE_MS));
    }

    private static ClusterBootstrap cluster(YamlFields cluster) {
        Integration integration = Integration.fromConfigName(cluster.path("integration"),
                cluster.string("integration", "one of " + Integration.allowedNames()));
        int ports = (int) cluster.integer("ports", ClusterBootstrap.MIN_PORTS, ClusterBootstrap.MAX_PORTS);
        Optional<HuntOrder> huntOrder = huntOrder(cluster);
        ClusterSettings settings = settings(cluster.optionalMap("settings", SETTINGS_KEYS), huntOrder);
        cluster.done();
        return new ClusterBootstrap(integration, ports, settings);
    }

    /** The SPEC defaults for every key not given; the hunt order may also be given as cluster.huntOrder. */
    private static ClusterSettings settings(Optional<YamlFields> given, Optional<HuntOrder> clusterHuntOrder) {
        ClusterSettings d = ClusterSettings.defaults();
        if (given.isEmpty()) {
            return clusterHuntOrder.isEmpty() ? d : new ClusterSettings(d.autoFailover(), d.autoFailback(),
                    d.failbackHoldDownMs(), d.deactivateOnBacklog(), d.replicationBacklogLimit(),
                    d.absorbPeerPortsOnFailover(), clusterHuntOrder.get(), d.heartbeatIntervalMs(),
                    d.localHeartbeatTimeoutMs(), d.remoteHeartbeatTimeoutMs(), d.heartbeatTrace(), d.networkCheck());
        }
        YamlFields s = given.get();
        Optional<HuntOrder> settingsHuntOrder = huntOrder(s);
        if (settingsHuntOrder.isPresent() && clusterHuntOrder.isPresent()) {
            throw new ConfigException(s.path("huntOrder"), settingsHuntOrder.get().configName(),
                    "the hunt order given once: as cluster.huntOrder or as cluster.settings.huntOrder, not both");
        }
        long intervalMs = s.integerOr("heartbeatIntervalMs", ClusterSettings.MIN_HEARTBEAT_INTERVAL_MS,
                ClusterSettings.MAX_HEARTBEAT_INTERVAL_MS, d.heartbeatIntervalMs());
        // ST-11: a timeout shorter than two intervals would declare a healthy peer dead.
        long localTimeoutMs = s.integerOr("localHeartbeatTimeoutMs", 2 * intervalMs,
                ClusterSettings.MAX_HEARTBEAT_TIMEOUT_MS, d.localHeartbeatTimeoutMs());
        long remoteTimeoutMs = s.integerOr("remoteHeartbeatTimeoutMs", 2 * intervalMs,
                ClusterSettings.MAX_HEARTBEAT_TIMEOUT_MS, d.remoteHeartbeatTimeoutMs());
        long maxMessageSeconds = s.integerOr("maxMessageSeconds", 1, ClusterSettings.MAX_MESSAGE_SECONDS,
                d.maxMessageSeconds());
        ClusterSettings settings = new ClusterSettings(
                s.booleanOr("autoFailover", d.autoFailover()),
                s.booleanOr("autoFailback", d.autoFailback()),
                s.integerOr("failbackHoldDownMs", 0, ClusterSettings.MAX_FAILBACK_HOLD_DOWN_MS,
                        d.failbackHoldDownMs()),
                s.booleanOr("deactivateOnBacklog", d.deactivateOnBacklog()),
                s.integerOr("replicationBacklogLimit", 1, Long.MAX_VALUE, d.replicationBacklogLimit()),
                s.booleanOr("absorbPeerPortsOnFailover", d.absorbPeerPortsOnFailover()),
                settingsHuntOrder.or(() -> clusterHuntOrder).orElse(d.huntOrder()),
                intervalMs,
                localTimeoutMs,
                remoteTimeoutMs,
                s.booleanOr("heartbeatTrace", d.heartbeatTrace()),
                s.has("networkCheck") ? s.list("networkCheck", NETWORK_CHECK_TEXT, Hosts::requireHost)
                        : d.networkCheck(),
                maxMessageSeconds,
                s.integerOr("silenceSeconds", 1, ClusterSettings.MAX_SILENCE_SECONDS, d.silenceSeconds()),
                // MD-4: a minimum at or above the maximum would discard every message.
                s.integerOr("minMessageSeconds", 0, maxMessageSeconds - 1, d.minMessageSeconds()),
                s.integerOr("mediaTimeoutSeconds", 1, ClusterSettings.MAX_MEDIA_TIMEOUT_SECONDS,
                        d.mediaTimeoutSeconds()),
                s.optionalString("mwiTarget", HostPort.ALLOWED)
                        .map(text -> HostPort.parse(s.path("mwiTarget"), text)),
                (int) s.integerOr("mwiSendsPerSecond", ClusterSettings.MIN_MWI_SENDS_PER_SECOND,
                        ClusterSettings.MAX_MWI_SENDS_PER_SECOND, d.mwiSendsPerSecond()));
        s.done();
        return settings;
    }

    private static Optional<HuntOrder> huntOrder(YamlFields map) {
        return map.optionalString("huntOrder", "one of " + HuntOrder.allowedNames())
                .map(name -> HuntOrder.fromConfigName(map.path("huntOrder"), name));
    }
}
