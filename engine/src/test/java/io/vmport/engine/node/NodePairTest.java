package io.vmport.engine.node;

import io.vmport.config.testing.Poll;
import io.vmport.config.testing.LoopbackPorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.engine.cli.VmportMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import io.vmport.config.db.PrimaryRoleRow;
import io.vmport.config.db.ServerRow;
import io.vmport.config.NodeConfig;
import io.vmport.engine.cluster.AdminAction;
import java.util.concurrent.TimeUnit;
import io.vmport.config.db.Database;
import io.vmport.config.db.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Two nodes on one database meet over the peer link and take the statuses of ST-1 (CL-3, ST-13). */
class NodePairTest {

    @Test
    void st1_publisherBecomesPrimary_subscriberSecondary_throughThePeerLink() throws Exception {
        try (NodePair pair = NodePair.start(4)) {
            assertTrue(pair.publisher.peerConnected() && pair.subscriber.peerConnected());

            // ST-13: the PRIMARY role is in the database, and each node wrote its own status row
            Poll.await("the database names the publisher PRIMARY with both rows written", 10_000, () -> {
                PrimaryRoleRow role = pair.database.primaryRole().current();
                return role.isHeldBy(ServerName.PUBLISHER)
                        && "PRIMARY".equals(status(pair, ServerName.PUBLISHER))
                        && "SECONDARY".equals(status(pair, ServerName.SUBSCRIBER));
            }, () -> pair.database.primaryRole().current() + " " + pair.database.servers().all());
            assertEquals(4, pair.publisher.portPlan().count(ServerName.PUBLISHER));
        }
    }

    @Test
    void pm4_anActionOnEitherNodeWorks_forwardedToTheServerItConcerns() throws Exception {
        try (NodePair pair = NodePair.start(2)) {
            // Asked of the publisher's node, about the subscriber: forwarded over the peer link (PM-4)
            String url = "http://127.0.0.1:" + pair.publisher.config().admin().port();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = VmportMain.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                    "stop-taking-calls", "subscriber", "--url", url, "--token", "t0ken");
            assertEquals(0, exit, out + " / " + err);
            Poll.await("the subscriber's own view shows it not taking calls", 10_000,
                    () -> !pair.subscriber.clusterView().server(ServerName.SUBSCRIBER).takingCalls(), pair::describe);
            Poll.await("the publisher's view follows through heartbeats", 10_000,
                    () -> !pair.publisher.clusterView().server(ServerName.SUBSCRIBER).takingCalls(), pair::describe);
            Poll.await("the subscriber stored it (CA-4 outlives a restart)", 10_000,
                    () -> !pair.database.servers().find(ServerName.SUBSCRIBER).orElseThrow().takingCalls(),
                    () -> pair.database.servers().all().toString());

            // ST-3 through the API: the PRIMARY cannot be deactivated; the cluster refuses with exit 1
            int refused = VmportMain.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                    "deactivate", "publisher", "--url", url, "--token", "t0ken");
            assertEquals(1, refused, out + " / " + err);
            int badToken = VmportMain.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                    "cluster", "--url", url, "--token", "wrong");
            assertEquals(2, badToken, "a refused token is exit 2: " + err);
        }
    }

    @Test
    void ca4_stopTakingCallsOutlivesARestartOfThatServer() throws Exception {
        try (NodePair pair = NodePair.start(2)) {
            assertTrue(pair.subscriber.perform(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER, false)
                    .get(10, TimeUnit.SECONDS).ok());
            Poll.await("the subscriber's row says not taking calls", 10_000,
                    () -> !pair.database.servers().find(ServerName.SUBSCRIBER).orElseThrow().takingCalls(),
                    () -> pair.database.servers().all().toString());

            pair.restartSubscriber();
            Poll.await("the restarted subscriber SECONDARY, still not taking calls, in both views", 15_000,
                    () -> pair.settled()
                            && !pair.subscriber.clusterView().server(ServerName.SUBSCRIBER).takingCalls()
                            && !pair.publisher.clusterView().server(ServerName.SUBSCRIBER).takingCalls(),
                    pair::describe);
        }
    }

    @Test
    void cl2_aNodeWithoutAClusterBlockOnAnEmptyDatabase_isRefusedWithWhatToAdd() throws Exception {
        try (Database db = TestDatabase.openFresh()) {
            NodeConfig config = DemoCluster.config(ServerName.SUBSCRIBER, LoopbackPorts.freeUdpAndTcp(), LoopbackPorts.freeTcp(),
                    LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(), "t0ken", Path.of("unused"), null);
            NodeStartException e = assertThrows(NodeStartException.class, () -> Node.start(config, db));
            assertTrue(e.getMessage().contains("holds no cluster") && e.getMessage().contains("cluster:"),
                    e.getMessage());
        }
    }

    private static String status(NodePair pair, ServerName name) {
        return pair.database.servers().find(name).map(ServerRow::status).orElse(null);
    }
}
