package io.vmport.engine.cluster;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.engine.ports.PortState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ST-13 with the database as the truth, and ST-8 when the database shows the silent peer alive. */
class ClusterEpochReconcileTest {

    @Test
    void st13_theDatabaseNamesTheOtherServer_aPrimaryWithAHigherOwnEpochStillStepsDown() {
        DomainFixture f = DomainFixture.sip(8);
        int call = f.call(PUBLISHER);
        long own = f.cluster.epoch();
        // the node's own counter ran ahead of the database's (transitions bump it, the database only on takes)
        ActionResult r = f.cluster.onDatabaseRole(SUBSCRIBER, own - 1, f.now);
        assertTrue(r.ok(), r.toString());
        assertEquals(SECONDARY, f.cluster.status(PUBLISHER), "stops primary-only work at once");
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertFalse(f.mayDoPrimaryWork());
        assertTrue(f.cluster.epoch() >= own, "the epoch never goes back");
        assertTrue(f.drainEffects().contains(Effect.STOP_PRIMARY_SERVICES));
        assertEquals(PortState.IN_CALL, f.ports.state(call), "calls are not affected (CA-5)");

        // ST-1, ST-9: with the peer heard again, the publisher takes PRIMARY back after the hold-down
        f.advanceMs(f.cluster.settings().failbackHoldDownMs() + 2 * f.cluster.settings().heartbeatIntervalMs());
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER));
        assertEquals(1, f.count(AlarmName.AutoFailbackSucceeded));
    }

    @Test
    void st13_theDatabaseNamesThisServer_theViewAdoptsItsEpoch_andNothingElseChanges() {
        DomainFixture f = DomainFixture.sip(8);
        long own = f.cluster.epoch();
        f.drainEffects();
        assertEquals(ActionResult.NOTHING, f.cluster.onDatabaseRole(PUBLISHER, own + 40, f.now));
        assertEquals(own + 40, f.cluster.epoch());
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER));
        assertEquals(List.of(), f.drainEffects());
        assertEquals(ActionResult.NOTHING, f.cluster.onDatabaseRole(PUBLISHER, 1, f.now), "an older one: ignored");
        assertEquals(own + 40, f.cluster.epoch());
    }

    @Test
    void st8_st13_silentPeerThatRenewsItsRoleInTheDatabase_noFailover_oneAlarm() {
        DomainFixture f = DomainFixture.started(SUBSCRIBER, Integration.SIP_TRUNK, 8, ClusterSettings.defaults());
        f.peerAlive = false;
        long timeoutMs = f.cluster.settings().localHeartbeatTimeoutMs();
        f.advanceMs(timeoutMs + f.cluster.settings().heartbeatIntervalMs());
        assertTrue(f.drainEffects().contains(Effect.NETWORK_CHECK));

        ActionResult r = f.cluster.onPeerHoldsRoleInDatabase(120, f.now);
        assertTrue(r.reason().contains("only the link"), r.reason());
        assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER), "no failover: the PRIMARY is alive");
        assertEquals(PRIMARY, f.cluster.status(PUBLISHER), "and not shown NOT_FUNCTIONING");
        assertEquals(1, f.count(AlarmName.NoConnectionToPeer));
        assertEquals(0, f.count(AlarmName.AutoFailoverSucceeded));

        f.advanceMs(timeoutMs + f.cluster.settings().heartbeatIntervalMs());
        assertTrue(f.drainEffects().contains(Effect.NETWORK_CHECK), "checked again after another timeout");
        f.cluster.onPeerHoldsRoleInDatabase(80, f.now);
        assertEquals(1, f.count(AlarmName.NoConnectionToPeer), "one alarm per silence");

        f.advanceMs(timeoutMs + f.cluster.settings().heartbeatIntervalMs());
        f.drainEffects();
        f.cluster.onNetworkCheckResult(true, f.now); // the holder stopped renewing: it is dead
        assertEquals(PRIMARY, f.cluster.status(SUBSCRIBER));
        assertEquals(NOT_FUNCTIONING, f.cluster.status(PUBLISHER));
    }
}
