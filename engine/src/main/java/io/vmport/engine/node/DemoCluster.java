package io.vmport.engine.node;

import io.vmport.config.AdminConfig;
import io.vmport.config.Cidr;
import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.DatabaseConfig;
import io.vmport.config.HostPort;
import io.vmport.config.Integration;
import io.vmport.config.LogLevel;
import io.vmport.config.MediaConfig;
import io.vmport.config.NodeConfig;
import io.vmport.config.PeerConfig;
import io.vmport.config.ServerName;
import io.vmport.config.SipConfig;
import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.EmbeddedDatabase;
import io.vmport.config.db.MailboxRow;
import io.vmport.engine.ports.Port;
import io.vmport.engine.ports.PortOwner;
import io.vmport.engine.ports.PortPlan;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import io.vmport.sccp.sim.SimSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Both servers in one JVM on loopback with the embedded database (DESIGN section 4, {@code vmport demo}): the
 * same {@link Node} code path as two hosts, talking over the same peer link. For SCCP it first starts the
 * phone-system simulator (on 127.0.0.1:2000 by default), whose hunt list holds the subscriber's port devices, then
 * the publisher's; every device of both servers registers with it. Closing stops the subscriber, the publisher,
 * the simulator, then the database.
 */
public final class DemoCluster implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    /** The demo phone system's TCP port for SCCP (DESIGN section 4). */
    public static final int SCCP_PORT = 2000;
    /** How long the demo phone system's answered calls last before the caller hangs up. */
    static final long DEMO_HOLD_MS = 10_000;
    /** How long a demo device rings before the hunt moves on. */
    static final long DEMO_RING_TIMEOUT_MS = 4_000;
    /** The two demo servers share one host, so their RTP ranges must not overlap (SPEC MD-1). */
    static final MediaConfig PUBLISHER_MEDIA = new MediaConfig(HOST, 20_000, 24_999);
    static final MediaConfig SUBSCRIBER_MEDIA = new MediaConfig(HOST, 25_000, 29_999);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DemoCluster.class);
    /** The demo's mailboxes (DESIGN section 4). */
    static final int FIRST_DEMO_MAILBOX = 1001;
    static final int LAST_DEMO_MAILBOX = 1010;

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
    private final PhoneSystemSimulator phoneSystem;

    private DemoCluster(EmbeddedDatabase embedded, Database database, Node publisher, Node subscriber,
                        PhoneSystemSimulator phoneSystem) {
        this.embedded = embedded;
        this.database = database;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.phoneSystem = phoneSystem;
    }

    /**
     * Starts the embedded database with its files under {@code dataDir}, creates the cluster when it holds none
     * ({@code integration}, {@code ports}; the SPEC default settings), then the publisher and the subscriber.
     */
    public static DemoCluster start(Path dataDir, Integration integration, int ports, String adminToken,
                                    Layout layout) {
        return start(dataDir, integration, ports, adminToken, layout, SCCP_PORT);
    }

    /** As above, with the SCCP phone-system simulator on {@code sccpPort} (0: any free port). */
    public static DemoCluster start(Path dataDir, Integration integration, int ports, String adminToken,
                                    Layout layout, int sccpPort) {
        return start(dataDir, integration, ports, adminToken, layout, sccpPort, Optional.empty());
    }

    /**
     * As above, with MWI NOTIFYs going to {@code mwiTarget} ({@code demo --mwi-target}, MW-1). A target given
     * here also replaces the one stored by an earlier demo on the same data directory; none given keeps it.
     */
    public static DemoCluster start(Path dataDir, Integration integration, int ports, String adminToken,
                                    Layout layout, int sccpPort, Optional<HostPort> mwiTarget) {
        EmbeddedDatabase embedded = NodeStartException.make("starting the embedded database in " + dataDir,
                () -> EmbeddedDatabase.builder(dataDir).start());
        Database database = null;
        Node publisher = null;
        PhoneSystemSimulator phoneSystem = null;
        try {
            DatabaseSettings settings = embedded.settings().withMaxPoolSize(8);
            database = NodeStartException.make("opening the database " + settings.safeUrl(),
                    () -> Database.open(settings));
            Database opened = database;
            NodeStartException.run("creating the demo mailboxes", () -> createDemoMailboxes(opened));
            ClusterBootstrap cluster = new ClusterBootstrap(integration, ports,
                    ClusterSettings.defaults().withMwiTarget(mwiTarget));
            if (mwiTarget.isPresent()) {
                storeMwiTarget(database, mwiTarget);
            }
            InetSocketAddress sccpAt = Node.DEFAULT_SCCP_PHONE_SYSTEM;
            if (integration == Integration.SCCP) {
                PhoneSystemSimulator sim = phoneSystem = phoneSystem(PortPlan.of(integration, ports));
                InetSocketAddress at = new InetSocketAddress(HOST, sccpPort);
                sccpAt = NodeStartException.make("starting the SCCP phone-system simulator on " + HOST + ":" + sccpPort,
                        () -> sim.start(at));
            }
            publisher = startNode(config(ServerName.PUBLISHER, layout.publisherSip(), layout.publisherAdmin(),
                    layout.publisherPeer(), layout.subscriberPeer(), adminToken, dataDir, cluster), database, sccpAt);
            Node subscriber = startNode(config(ServerName.SUBSCRIBER, layout.subscriberSip(),
                    layout.subscriberAdmin(), layout.subscriberPeer(), layout.publisherPeer(), adminToken, dataDir,
                    cluster), database, sccpAt);
            return new DemoCluster(embedded, database, publisher, subscriber, phoneSystem);
        } catch (RuntimeException | Error e) { // an Error too: a half-started demo must not keep mariadbd running
            closeAfterFailure(publisher, phoneSystem, database, embedded);
            throw e;
        }
    }

    /** Before any node runs, so no PRIMARY holds the epoch the save is fenced with. */
    private static void storeMwiTarget(Database database, Optional<HostPort> mwiTarget) {
        database.clusterSettings().load().filter(stored -> !stored.mwiTarget().equals(mwiTarget)).ifPresent(stored ->
                NodeStartException.run("storing the MWI target " + mwiTarget.get(), () -> database.clusterSettings()
                        .save(stored.withMwiTarget(mwiTarget), database.primaryRole().current().epoch(),
                                System.currentTimeMillis())));
    }

    private static Node startNode(NodeConfig config, Database database, InetSocketAddress sccpAt) {
        try {
            return Node.start(config, database, sccpAt);
        } catch (NodeStartException e) {
            throw NodeStartException.during("starting the " + config.server().configName(), e);
        }
    }

    /** The demo's mailboxes 1001 to 1010, "Mailbox 1001"..., when the database has none (DESIGN section 4). */
    static void createDemoMailboxes(Database database) {
        List<MailboxRow> demo = IntStream.rangeClosed(FIRST_DEMO_MAILBOX, LAST_DEMO_MAILBOX)
                .mapToObj(e -> MailboxRow.of(Integer.toString(e), "Mailbox " + e)).toList();
        if (database.mailboxes().createAllIfNone(demo, System.currentTimeMillis())) {
            LOG.info("demo mailboxes {} to {} created", FIRST_DEMO_MAILBOX, LAST_DEMO_MAILBOX);
        }
    }

    private static void closeAfterFailure(Node publisher, PhoneSystemSimulator phoneSystem, Database database,
                                          EmbeddedDatabase embedded) {
        if (publisher != null) {
            publisher.close();
        }
        if (phoneSystem != null) {
            phoneSystem.close();
        }
        if (database != null) {
            database.close();
        }
        embedded.close();
    }

    /** SPEC section 3's hunt list: the subscriber's SCCP devices first, then the publisher's. */
    private static PhoneSystemSimulator phoneSystem(PortPlan plan) {
        return new PhoneSystemSimulator(new SimSettings(30, DEMO_RING_TIMEOUT_MS, DEMO_HOLD_MS,
                SkinnyCodec.DEFAULT_MAX_LENGTH), PhoneSystemSimulator.subscriberFirst(
                deviceNames(plan, p -> p.owner() == PortOwner.SUBSCRIBER),
                deviceNames(plan, p -> p.owner() == PortOwner.PUBLISHER)));
    }

    private static List<String> deviceNames(PortPlan plan, Predicate<Port> which) {
        return plan.ports().stream().filter(which).map(Port::name).toList();
    }

    /** A loopback node's configuration; {@code cluster} may be null (a node joining an existing cluster). */
    static NodeConfig config(ServerName server, int sipPort, int adminPort, int peerListen, int peerAddress,
                             String adminToken, Path dataDir, ClusterBootstrap cluster) {
        return new NodeConfig(server,
                new SipConfig(HOST, sipPort, List.of(Cidr.parse("sip.allow", "127.0.0.0/8"))),
                new AdminConfig(HOST, adminPort, adminToken),
                new PeerConfig(new HostPort(HOST, peerListen), new HostPort(HOST, peerAddress)),
                DatabaseConfig.embedded(dataDir, DatabaseConfig.DEFAULT_POOL_SIZE), LogLevel.INFO,
                Optional.ofNullable(cluster), server == ServerName.PUBLISHER ? PUBLISHER_MEDIA : SUBSCRIBER_MEDIA);
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

    /** The SCCP phone-system simulator, or empty for the other integrations. */
    public Optional<PhoneSystemSimulator> phoneSystem() {
        return Optional.ofNullable(phoneSystem);
    }

    public EmbeddedDatabase embeddedDatabase() {
        return embedded;
    }

    @Override
    public synchronized void close() {
        subscriber.close();
        publisher.close();
        if (phoneSystem != null) {
            phoneSystem.close();
        }
        database.close();
        embedded.close();
    }
}
