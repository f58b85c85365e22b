package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.db.PrimaryRoleLease;
import io.vmport.config.db.PrimaryRoleRow;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ServerStatus;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** ST-13 between two nodes and the real database: the PRIMARY renews its lease; the database epoch is the truth. */
class RoleReconcileTest {

    @Test
    void st13_thePrimaryRenewsItsLeaseEveryHeartbeat_andItsViewTakesTheDatabaseEpoch() throws Exception {
        try (NodePair pair = NodePair.start(2)) {
            Poll.await("the publisher holds the role", 10_000,
                    () -> pair.database.primaryRole().current().isHeldBy(ServerName.PUBLISHER),
                    () -> pair.database.primaryRole().current().toString());
            long heartbeatMs = pair.publisher.clusterView().settings().heartbeatIntervalMs();
            long changed = pair.database.primaryRole().current().changedAtMs();
            Poll.await("renewed", 10 * heartbeatMs + 2_000,
                    () -> pair.database.primaryRole().current().changedAtMs() > changed,
                    () -> pair.database.primaryRole().current().toString());
            PrimaryRoleLease lease = pair.database.primaryRole().lease();
            assertTrue(lease.ageMs() < pair.publisher.clusterView().settings().localHeartbeatTimeoutMs(),
                    "a fresh lease: " + lease);
            long dbEpoch = lease.role().epoch();
            Poll.await("the publisher's view takes at least the database epoch", 5_000,
                    () -> pair.publisher.clusterView().epoch() >= dbEpoch,
                    () -> pair.publisher.clusterView() + " vs " + lease);
        }
    }

    @Test
    void st13_anotherServerTookTheRoleInTheDatabase_theStalePrimaryStopsAtOnce() throws Exception {
        try (NodePair pair = NodePair.start(2)) {
            Poll.await("the publisher holds the role", 10_000,
                    () -> pair.database.primaryRole().current().isHeldBy(ServerName.PUBLISHER),
                    () -> pair.database.primaryRole().current().toString());
            // the subscriber's server took the role behind the publisher's back (as a partitioned node would)
            PrimaryRoleRow role = pair.database.primaryRole().current();
            OptionalLong taken = pair.database.primaryRole().tryTakeOver(ServerName.SUBSCRIBER, role.epoch(), 0, 0);
            assertTrue(taken.isPresent(), role.toString());
            long heartbeatMs = pair.publisher.clusterView().settings().heartbeatIntervalMs();

            Poll.await("the publisher stops primary-only work within a few heartbeats", 20 * heartbeatMs + 2_000,
                    () -> pair.publisher.clusterView().status(ServerName.PUBLISHER) == ServerStatus.SECONDARY,
                    pair::describe);
            assertEquals(ServerName.SUBSCRIBER, pair.publisher.clusterView().primary());
            assertTrue(pair.publisher.clusterView().epoch() >= taken.getAsLong());
            Poll.await("the subscriber's node follows through the heartbeats and keeps the role", 10_000,
                    () -> pair.subscriber.clusterView().status(ServerName.SUBSCRIBER) == ServerStatus.PRIMARY
                            && pair.database.primaryRole().current().isHeldBy(ServerName.SUBSCRIBER),
                    () -> pair.describe() + "\n" + pair.database.primaryRole().current());
            Poll.await("the publisher's alarm is stored", 10_000,
                    () -> pair.database.alarms().newest(100).stream().anyMatch(a ->
                            a.server() == ServerName.PUBLISHER && a.detail().contains("ST-13")),
                    () -> pair.database.alarms().newest(100).toString());
        }
    }
}
