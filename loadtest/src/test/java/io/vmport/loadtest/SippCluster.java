package io.vmport.loadtest;

import io.vmport.config.testing.Poll;
import io.vmport.config.testing.LoopbackPorts;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmport.config.AdminConfig;
import io.vmport.config.Cidr;
import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.DatabaseConfig;
import io.vmport.config.HostPort;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.LogLevel;
import io.vmport.config.MediaConfig;
import io.vmport.config.NodeConfig;
import io.vmport.config.PeerConfig;
import io.vmport.config.ServerName;
import io.vmport.config.SipConfig;
import io.vmport.config.db.Database;
import io.vmport.config.db.TestDatabase;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.node.Node;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.ports.PortState;
import io.vmport.loadtest.sipp.SippRun;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo cluster as SIPp sees it: a publisher and a subscriber in this JVM (SIP trunk unless a test names another
 * integration), on one fresh test database (TestDatabase: embedded MariaDB once per JVM) and on free loopback
 * ports, so tests never collide with a running {@code vmport demo} on 5060/5062. Same Node code path as
 * {@code DemoCluster}.
 */
public final class SippCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final String ADMIN_TOKEN = "t0ken";
    /** RTP ports per node (MD-1): a block of the demo's 20000-29999, picked per cluster, the publisher's first. */
    static final int RTP_PORTS_PER_NODE = 200;

    final Database database;
    final Node publisher;
    final Node subscriber;
    final int publisherSip;
    final int subscriberSip;
    final int firstRtpPort;

    private SippCluster(Database database, Node publisher, Node subscriber, int publisherSip, int subscriberSip,
                        int firstRtpPort) {
        this.database = database;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.publisherSip = publisherSip;
        this.subscriberSip = subscriberSip;
        this.firstRtpPort = firstRtpPort;
    }

    /** Skips the calling test when sipp is not installed; under CI=true fails it instead (issue 5). */
    public static void requireSippOrSkip() {
        requireSippOrSkip(SippRun.onPath(), System.getenv("CI"));
    }

    static void requireSippOrSkip(boolean present, String ci) {
        requireOrSkip("sipp", "SIPp tests", "sip-tester", present, ci);
    }

    /** Skips the calling test when {@code tool} (tshark, sox) is not installed; under CI=true fails it instead. */
    static void requireToolOrSkip(String tool) {
        requireOrSkip(tool, "voice tests", tool, SippRun.onPath(tool), System.getenv("CI"));
    }

    /** Skips the calling test when {@code executable} is not installed; under CI=true fails it instead. */
    public static void requireOrSkip(String executable, String tests, String debianPackage) {
        requireOrSkip(executable, tests, debianPackage, SippRun.onPath(executable), System.getenv("CI"));
    }

    private static void requireOrSkip(String tool, String tests, String debianPackage, boolean present, String ci) {
        if (!present && "true".equalsIgnoreCase(ci)) {
            fail(tool + " is not on PATH and CI=true: the " + tests + " must run in CI (install " + debianPackage
                    + ")");
        }
        assumeTrue(present, tool + " is not on PATH: " + tests + " skipped");
    }

    /** Starts both nodes, publisher first, with {@code ports} SIP trunk ports in all, and waits for ST-1. */
    static SippCluster start(int ports) throws IOException {
        return start(Integration.SIP_TRUNK, ports);
    }

    /** As {@link #start(int)} for {@code integration} with N = {@code ports} (PIMG: N shared gateway ports). */
    static SippCluster start(Integration integration, int ports) throws IOException {
        return start(integration, ports, fastSettings());
    }

    /** Faster heartbeats than the SPEC default so the pair meets quickly; the rest as the defaults. */
    static ClusterSettings fastSettings() {
        ClusterSettings s = ClusterSettings.defaults();
        return new ClusterSettings(s.autoFailover(), s.autoFailback(), s.failbackHoldDownMs(),
                s.deactivateOnBacklog(), s.replicationBacklogLimit(), s.absorbPeerPortsOnFailover(),
                HuntOrder.TOP_DOWN, 100, 2_000, 2_000, false, List.of(HOST));
    }

    /** As {@link #start(Integration, int)} with the cluster's {@code settings}. */
    static SippCluster start(Integration integration, int ports, ClusterSettings settings) throws IOException {
        return start(integration, ports, settings, TestDatabase.openFresh(), Path.of("unused-embedded-dir"));
    }

    /**
     * As {@link #start(Integration, int, ClusterSettings)} on {@code db}, which {@link #close} closes; the nodes keep
     * messages the database has not taken in {@code spoolBase}{@code /spool/<server>} (MS-2).
     */
    static SippCluster start(Integration integration, int ports, ClusterSettings settings, Database db,
                             Path spoolBase) throws IOException {
        ClusterBootstrap cluster = new ClusterBootstrap(integration, ports, settings);
        // a block per cluster, so that clusters of tests running at once seldom meet (the plane skips held ports)
        int pairs = 10_000 / (2 * RTP_PORTS_PER_NODE);
        int rtp = 20_000 + 2 * RTP_PORTS_PER_NODE * ThreadLocalRandom.current().nextInt(pairs);
        int pubSip = LoopbackPorts.freeUdpAndTcp();
        int subSip = LoopbackPorts.freeUdpAndTcp();
        int pubPeer = LoopbackPorts.freeTcp();
        int subPeer = LoopbackPorts.freeTcp();
        Node pub = null;
        Node sub = null;
        try {
            pub = Node.start(config(ServerName.PUBLISHER, pubSip, LoopbackPorts.freeTcp(), pubPeer, subPeer, cluster,
                    rtp, spoolBase), db);
            sub = Node.start(config(ServerName.SUBSCRIBER, subSip, LoopbackPorts.freeTcp(), subPeer, pubPeer, cluster,
                    rtp + RTP_PORTS_PER_NODE, spoolBase), db);
            SippCluster c = new SippCluster(db, pub, sub, pubSip, subSip, rtp);
            Poll.await("ST-1 on both nodes", 20_000, c::settled, c::describe);
            return c;
        } catch (RuntimeException | AssertionError e) {
            if (sub != null) {
                sub.close();
            }
            if (pub != null) {
                pub.close();
            }
            db.close();
            throw e;
        }
    }

    private static NodeConfig config(ServerName server, int sipPort, int adminPort, int peerListen, int peerAddress,
                                     ClusterBootstrap cluster, int firstRtpPort, Path spoolBase) {
        return new NodeConfig(server,
                new SipConfig(HOST, sipPort, List.of(Cidr.parse("sip.allow", "127.0.0.0/8"))),
                new AdminConfig(HOST, adminPort, ADMIN_TOKEN),
                new PeerConfig(new HostPort(HOST, peerListen), new HostPort(HOST, peerAddress)),
                DatabaseConfig.embedded(spoolBase, DatabaseConfig.DEFAULT_POOL_SIZE),
                LogLevel.WARN, Optional.of(cluster),
                new MediaConfig(HOST, firstRtpPort, firstRtpPort + RTP_PORTS_PER_NODE - 1));
    }

    Node node(ServerName name) {
        return name == ServerName.PUBLISHER ? publisher : subscriber;
    }

    /** The node's RTP range (MD-1): its first and last port. */
    int[] rtpPorts(ServerName name) {
        int first = name == ServerName.PUBLISHER ? firstRtpPort : firstRtpPort + RTP_PORTS_PER_NODE;
        return new int[] {first, first + RTP_PORTS_PER_NODE - 1};
    }

    int sipPort(ServerName name) {
        return name == ServerName.PUBLISHER ? publisherSip : subscriberSip;
    }

    /** A SIPp run against {@code server}'s trunk. */
    SippRun sipp(ServerName server, String scenario) {
        return new SippRun(HOST, sipPort(server)).scenario(scenario(scenario))
                .name(scenario.replace(".xml", "") + "-" + server.configName());
    }

    /** ST-1 as both nodes see it: publisher PRIMARY, subscriber SECONDARY, the peer link up on both. */
    boolean settled() {
        return settled(publisher.clusterView()) && settled(subscriber.clusterView());
    }

    private static boolean settled(ClusterView v) {
        return v.peerConnected() && v.status(ServerName.PUBLISHER) == ServerStatus.PRIMARY
                && v.status(ServerName.SUBSCRIBER) == ServerStatus.SECONDARY;
    }

    /** Every port of the cluster IDLE, as each node's own monitor sees its ports. */
    void awaitAllIdle(long timeoutMs) {
        for (Node node : List.of(publisher, subscriber)) {
            Poll.await("every port IDLE on " + node.self().configName(), timeoutMs, () -> {
                MonitorSnapshot s = node.monitorSnapshot();
                return s.count(PortState.IDLE) == s.portCount();
            }, () -> node.monitorSnapshot().toString());
        }
    }

    /** No call up anywhere: no port RINGING, IN_CALL or DRAINING on either node (a stopped server's are OUT_OF_SERVICE). */
    void awaitNoCalls(long timeoutMs) {
        for (Node node : List.of(publisher, subscriber)) {
            Poll.await("no call up on " + node.self().configName(), timeoutMs, () -> {
                MonitorSnapshot s = node.monitorSnapshot();
                return s.count(PortState.RINGING) == 0 && s.count(PortState.IN_CALL) == 0
                        && s.count(PortState.DRAINING) == 0;
            }, () -> node.monitorSnapshot().toString());
        }
    }

    void awaitRecords(long count, long timeoutMs) {
        Poll.await(count + " call records", timeoutMs, () -> database.callRecords().count() == count,
                () -> database.callRecords().count() + " records");
    }

    String describe() {
        return "publisher sees " + publisher.clusterView() + "\nsubscriber sees " + subscriber.clusterView();
    }

    @Override
    public void close() {
        try {
            subscriber.close();
        } finally {
            try {
                publisher.close();
            } finally {
                database.close();
            }
        }
    }

    public static Path scenario(String name) {
        var url = SippCluster.class.getClassLoader().getResource("sipp/" + name);
        if (url == null) {
            throw new AssertionError("no test resource sipp/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

}
