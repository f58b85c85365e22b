package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.GaleraCluster;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ServerStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each server paired with its own Galera node (issue 18): the publisher on node 1 first, the subscriber on node 2
 * first, node 3 a third voter. SPEC section 2 REPLICATING_DATA while the own database node is not synced, then the
 * previous status; ST-10 with the node's receive queue as the replication backlog.
 */
class GaleraNodePairTest {
    private static GaleraCluster galera;

    @BeforeAll
    static void startGalera() {
        galera = GaleraCluster.start(Path.of("target", "galera-" + GaleraNodePairTest.class.getSimpleName()), 3);
    }

    @AfterAll
    static void stopGalera() {
        if (galera != null) {
            galera.close();
        }
    }

    /** Section 2: a desynced own database node makes the server REPLICATING_DATA, answering no calls; then back. */
    @Test
    void replicatingData_whileTheOwnGaleraNodeIsDesynced_thenThePreviousStatus() throws IOException {
        try (Pair pair = Pair.start(false, 0)) {
            galera.sql(2, "SET GLOBAL wsrep_desync = ON");
            try {
                pair.await("subscriber REPLICATING_DATA on both servers (its Galera node Donor/Desynced)",
                        ServerStatus.REPLICATING_DATA);
                assertFalse(pair.subscriber.clusterView().status(ServerName.SUBSCRIBER).answersCalls());
                assertEquals(ServerStatus.PRIMARY, pair.publisher.clusterView().status(ServerName.PUBLISHER),
                        "the publisher's own node is synced");
            } finally {
                galera.sql(2, "SET GLOBAL wsrep_desync = OFF");
            }
            pair.await("subscriber SECONDARY again once its Galera node is Synced", ServerStatus.SECONDARY);
        }
    }

    /**
     * ST-10 on: the subscriber's Galera node stops applying (FLUSH TABLES WITH READ LOCK desyncs and pauses it)
     * while the publisher's node takes writes; its receive queue passes the limit and the subscriber is
     * DEACTIVATED, and stays so once its node has caught up.
     */
    @Test
    void st10_aBacklogPastTheLimitDeactivatesTheSecondary() throws Exception {
        int limit = 5;
        try (Pair pair = Pair.start(true, limit);
             Connection node2 = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + galera.port(2)
                     + "/?sslMode=DISABLED", "root", "")) {
            try (Statement st = node2.createStatement()) {
                st.execute("FLUSH TABLES WITH READ LOCK");
                try (Connection node1 = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + galera.port(1) + "/"
                        + pair.databaseName + "?sslMode=DISABLED", "root", "");
                     Statement writes = node1.createStatement()) {
                    for (int i = 0; i < 4 * limit; i++) {
                        writes.execute("INSERT INTO alarm (id, raised_at_ms, server, name, detail) VALUES ('st10-"
                                + i + "', 1, 'publisher', 'Test', '')");
                    }
                }
                pair.await("subscriber DEACTIVATED: its Galera node's receive queue passed " + limit + " (ST-10)",
                        ServerStatus.DEACTIVATED);
                st.execute("UNLOCK TABLES");
            }
            galera.awaitSynced(2, 3);
            assertEquals(ServerStatus.DEACTIVATED, pair.subscriber.clusterView().status(ServerName.SUBSCRIBER));
        }
    }

    /**
     * BI-4, ST-13: a partition that leaves the subscriber's Galera node alone in a non-primary component (gcomm
     * isolated) is a database outage for the subscriber, not a split brain: it shows REPLICATING_DATA and takes
     * no role while the publisher stays PRIMARY, and the alarms it raised meanwhile, kept while it could not
     * write, are in the database once its node is back in the primary component.
     */
    @Test
    void bi4_st13_aNonPrimaryComponentIsAnOutage_notASplitBrain() throws Exception {
        try (Pair pair = Pair.start(false, 0)) {
            long epoch = pair.publisher.clusterView().epoch();
            galera.sql(2, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
            String component;
            try {
                pair.await("subscriber REPLICATING_DATA, its Galera node in a non-primary component",
                        ServerStatus.REPLICATING_DATA);
                component = galera.status(2, "wsrep_cluster_status");
            } finally {
                galera.sql(2, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'");
            }
            assertEquals("non-Primary", component);
            galera.awaitSynced(2, 3);
            pair.await("subscriber SECONDARY again, its node back in the primary component", ServerStatus.SECONDARY);
            assertEquals(ServerName.PUBLISHER, pair.publisher.clusterView().primary(), "one PRIMARY throughout");
            try (Connection node1 = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + galera.port(1) + "/"
                    + pair.databaseName + "?sslMode=DISABLED", "root", ""); Statement st = node1.createStatement()) {
                Poll.await("the subscriber's alarm of its change to REPLICATING_DATA, kept through the outage, stored",
                        30_000, () -> count(st, "SELECT COUNT(*) FROM alarm WHERE detail LIKE '%its database node is"
                                + " Initialized%' OR detail LIKE '%its database node is non-Primary%'") >= 1,
                        () -> "alarms: " + list(st) + "; epoch " + epoch + " -> " + pair.publisher.clusterView());
            }
        }
    }

    private static long count(Statement st, String sql) {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String list(Statement st) {
        StringBuilder b = new StringBuilder();
        try (java.sql.ResultSet rs = st.executeQuery("SELECT server, name, detail FROM alarm ORDER BY raised_at_ms")) {
            while (rs.next()) {
                b.append("\n  ").append(rs.getString(1)).append(' ').append(rs.getString(2)).append(": ")
                        .append(rs.getString(3));
            }
        } catch (java.sql.SQLException e) {
            b.append(e.getMessage());
        }
        return b.toString();
    }

    /** The two vmport nodes, each on its own Galera node first, on a new database. */
    private static final class Pair implements AutoCloseable {
        final String databaseName;
        final Node publisher;
        final Node subscriber;

        private Pair(String databaseName, Node publisher, Node subscriber) {
            this.databaseName = databaseName;
            this.publisher = publisher;
            this.subscriber = subscriber;
        }

        static Pair start(boolean deactivateOnBacklog, long backlogLimit) throws IOException {
            String name = galera.createDatabase();
            ClusterSettings d = ClusterSettings.defaults();
            ClusterSettings fast = new ClusterSettings(d.autoFailover(), d.autoFailback(), d.failbackHoldDownMs(),
                    deactivateOnBacklog, deactivateOnBacklog ? backlogLimit : d.replicationBacklogLimit(),
                    d.absorbPeerPortsOnFailover(), HuntOrder.TOP_DOWN, 100, 2_000, 2_000, false, List.of("127.0.0.1"));
            ClusterBootstrap cluster = new ClusterBootstrap(Integration.SIP_TRUNK, 4, fast);
            int pubPeer = LoopbackPorts.freeTcp();
            int subPeer = LoopbackPorts.freeTcp();
            Path unused = Path.of("unused-embedded-dir");
            Node pub = Node.start(DemoCluster.config(ServerName.PUBLISHER, LoopbackPorts.freeUdpAndTcp(),
                    LoopbackPorts.freeTcp(), pubPeer, subPeer, "t0ken", unused, cluster), galera.settings(name, 1));
            Node sub;
            try {
                sub = Node.start(DemoCluster.config(ServerName.SUBSCRIBER, LoopbackPorts.freeUdpAndTcp(),
                        LoopbackPorts.freeTcp(), subPeer, pubPeer, "t0ken", unused, cluster), galera.settings(name, 2));
            } catch (RuntimeException e) {
                pub.close();
                throw e;
            }
            Pair pair = new Pair(name, pub, sub);
            pair.await("ST-1 on both nodes", ServerStatus.SECONDARY);
            return pair;
        }

        /** Waits until both servers see the publisher PRIMARY, the subscriber {@code subscriber}, the link up. */
        void await(String what, ServerStatus subscriberStatus) {
            Poll.await(what, 30_000, () -> sees(publisher, subscriberStatus) && sees(subscriber, subscriberStatus),
                    () -> "publisher sees " + publisher.clusterView() + "\nsubscriber sees "
                            + subscriber.clusterView());
        }

        private static boolean sees(Node node, ServerStatus subscriberStatus) {
            var v = node.clusterView();
            return v.peerConnected() && v.status(ServerName.PUBLISHER) == ServerStatus.PRIMARY
                    && v.status(ServerName.SUBSCRIBER) == subscriberStatus;
        }

        @Override
        public void close() {
            subscriber.close();
            publisher.close();
        }
    }
}
