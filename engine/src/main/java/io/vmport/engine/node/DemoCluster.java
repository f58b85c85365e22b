package io.vmport.engine.node;

import io.vmport.config.AdminConfig;
import io.vmport.config.Cidr;
import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.DatabaseConfig;
import io.vmport.config.HostPort;
import io.vmport.config.Integration;
import io.vmport.config.LogLevel;
import io.vmport.config.NodeConfig;
import io.vmport.config.PeerConfig;
import io.vmport.config.ServerName;
import io.vmport.config.SipConfig;
import io.vmport.config.db.Database;
import io.vmport.config.db.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Both servers in one JVM on loopback with the embedded database (DESIGN section 4, {@code vmport demo}): the
 * same {@link Node} code path as two hosts, talking over the same peer link. Closing stops the subscriber, the
 * publisher, then the database.
 */
public final class DemoCluster implements AutoCloseable {
    public static final String HOST = "127.0.0.1";

    /**
     * Where the demo listens. {@link #defaults()} are DESIGN section 4's: SIP 5060/5062, admin 8080/8081, peer
     * link 7400/7401.
     */
    public record Layout(int publisherSip, int subscriberSip, int publisherAdmin, int subscriberAdmin,
                         int publisherPeer, int subscriberPeer) {
        public static Layout defaults() {
            return new Layout(5060, 5062, 8080, 8081, 7400, 7401);
        }
    }

    private final EmbeddedDatabase embedded;
    private final Database database;
    private final Node publisher;
    private final Node subscriber;

    private DemoCluster(EmbeddedDatabase embedded, Database database, Node publisher, Node subscriber) {
        this.embedded = embedded;
        this.database = database;
        this.publisher = publisher;
        this.subscriber = subscriber;
    }

    /**
     * Starts the embedded database with its files under {@code dataDir}, creates the cluster when it holds none
     * ({@code integration}, {@code ports}; the SPEC default settings), then the publisher and the subscriber.
     */
    public static DemoCluster start(Path dataDir, Integration integration, int ports, String adminToken,
                                    Layout layout) {
        EmbeddedDatabase embedded = EmbeddedDatabase.builder(dataDir).start();
        Database database = null;
        Node publisher = null;
        try {
            database = Database.open(embedded.settings().withMaxPoolSize(8));
            ClusterBootstrap cluster = new ClusterBootstrap(integration, ports, ClusterSettings.defaults());
            publisher = Node.start(config(ServerName.PUBLISHER, layout.publisherSip(), layout.publisherAdmin(),
                    layout.publisherPeer(), layout.subscriberPeer(), adminToken, dataDir, cluster), database);
            Node subscriber = Node.start(config(ServerName.SUBSCRIBER, layout.subscriberSip(),
                    layout.subscriberAdmin(), layout.subscriberPeer(), layout.publisherPeer(), adminToken, dataDir,
                    cluster), database);
            return new DemoCluster(embedded, database, publisher, subscriber);
        } catch (RuntimeException | Error e) { // an Error too: a half-started demo must not keep mariadbd running
            if (publisher != null) {
                publisher.close();
            }
            if (database != null) {
                database.close();
            }
            embedded.close();
            throw e;
        }
    }

    /** A loopback node's configuration; {@code cluster} may be null (a node joining an existing cluster). */
    static NodeConfig config(ServerName server, int sipPort, int adminPort, int peerListen, int peerAddress,
                             String adminToken, Path dataDir, ClusterBootstrap cluster) {
        return new NodeConfig(server,
                new SipConfig(HOST, sipPort, List.of(Cidr.parse("sip.allow", "127.0.0.0/8"))),
                new AdminConfig(HOST, adminPort, adminToken),
                new PeerConfig(new HostPort(HOST, peerListen), new HostPort(HOST, peerAddress)),
                DatabaseConfig.embedded(dataDir, DatabaseConfig.DEFAULT_POOL_SIZE), LogLevel.INFO,
                Optional.ofNullable(cluster));
    }

    public Node publisher() {
        return publisher;
    }

    public Node subscriber() {
        return subscriber;
    }

    public Node node(ServerName name) {
        return name == ServerName.PUBLISHER ? publisher : subscriber;
    }

    public Database database() {
        return database;
    }

    public EmbeddedDatabase embeddedDatabase() {
        return embedded;
    }

    @Override
    public synchronized void close() {
        subscriber.close();
        publisher.close();
        database.close();
        embedded.close();
    }
}
