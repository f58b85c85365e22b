package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import io.vmport.config.ServerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.DEACTIVATED;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.REPLICATING_DATA;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;

/**
 * The status changes a server makes by itself (SPEC ST-7, ST-9, ST-10, section 2): a PRIMARY publisher that
 * fails hands PRIMARY to the subscriber; a returned publisher takes it back after the failback hold-down; a server
 * whose database node is catching up is REPLICATING_DATA until it has, then its previous status returns; and,
 * with the setting on, a SECONDARY whose replication backlog passes the limit is DEACTIVATED.
 */
final class AutomaticChanges {

    private static final Logger LOG = LoggerFactory.getLogger(AutomaticChanges.class);

    private final Cluster cluster;
    private final SplitBrainAndEpochs epochs;

    /** The publisher came back as SECONDARY and no administrator chose the roles since (ST-9). */
    private boolean failbackEligible;
    private long failbackHealthySinceNs = Cluster.NEVER;

    AutomaticChanges(Cluster cluster, SplitBrainAndEpochs epochs) {
        this.cluster = cluster;
        this.epochs = epochs;
    }

    /** The publisher is SECONDARY while the subscriber is PRIMARY: it may take PRIMARY back (ST-9). */
    void publisherMayFailBack() {
        failbackEligible = true;
    }

    void rolesChosenByAdministrator() {
        failbackEligible = false;
    }

    /** Re-checks after every event: a degraded PRIMARY publisher hands over (ST-7); the failback hold-down (ST-9). */
    void afterEvent(long nowNs) {
        ClusterSettings settings = cluster.settings();
        ServerState pub = cluster.state(PUBLISHER);
        ServerState sub = cluster.state(SUBSCRIBER);
        if (pub.status == PRIMARY && pub.degraded != null && settings.autoFailover() && sub.status == SECONDARY) {
            handOver(nowNs);
        }
        boolean healthy = cluster.self() == PUBLISHER && failbackEligible && settings.autoFailback()
                && cluster.peerConnected() && pub.status == SECONDARY && pub.degraded == null
                && sub.status == PRIMARY;
        if (!healthy) {
            if (failbackHealthySinceNs != Cluster.NEVER) {
                LOG.info("failback hold-down reset: publisher {} {}, subscriber {}, peer link {} (ST-9)", pub.status,
                        pub.degraded == null ? "healthy" : "degraded", sub.status,
                        cluster.peerConnected() ? "up" : "down");
            }
            failbackHealthySinceNs = Cluster.NEVER;
        } else if (failbackHealthySinceNs == Cluster.NEVER) {
            failbackHealthySinceNs = nowNs;
        }
    }

    /** ST-9: the publisher takes PRIMARY back once healthy for the whole hold-down. */
    ActionResult onTick(long nowNs) {
        if (failbackHealthySinceNs != Cluster.NEVER
                && nowNs - failbackHealthySinceNs >= cluster.settings().failbackHoldDownMs() * Cluster.NS_PER_MS) {
            return failBack(nowNs);
        }
        return ActionResult.NOTHING;
    }

    ActionResult onCriticalFailure(ServerName server, CriticalFailure kind, long nowNs) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(kind, "kind");
        ServerState t = cluster.state(server);
        ServerState o = cluster.state(server.other());
        t.degraded = kind;
        ActionResult r;
        if (t.status == PRIMARY && server == PUBLISHER) {
            if (o.status == DEACTIVATED || o.status == NOT_FUNCTIONING || !cluster.settings().autoFailover()) {
                String why = o.status == DEACTIVATED || o.status == NOT_FUNCTIONING ? o.label() + " is " + o.status
                        : "automatic failover is off";
                String detail = "publisher is PRIMARY and lost " + kind + ", but " + why
                        + ": it stays PRIMARY, degraded (ST-7)";
                cluster.raise(nowNs, server, AlarmName.AutoFailoverFailed, detail);
                r = ActionResult.done(server, PRIMARY, detail, 0, null);
            } else if (o.status != SECONDARY) {
                String detail = "publisher is PRIMARY and lost " + kind + "; it hands PRIMARY over when "
                        + o.label() + " (" + o.status + ") is SECONDARY (ST-7)";
                LOG.warn(detail);
                r = ActionResult.done(server, PRIMARY, detail, 0, null);
            } else {
                r = handOver(nowNs);
            }
        } else {
            String detail = t.label() + " is " + t.status + " and lost " + kind
                    + ": its status does not change; it runs degraded (ST-7)";
            LOG.warn(detail);
            r = ActionResult.done(server, t.status, detail, 0, null);
        }
        cluster.afterEvent(nowNs);
        return r;
    }

    private ActionResult handOver(long nowNs) {
        ServerState pub = cluster.state(PUBLISHER);
        String detail = "publisher lost " + pub.degraded + "; subscriber is PRIMARY, publisher SECONDARY (ST-7)";
        cluster.transitionTo(PUBLISHER, SECONDARY, PRIMARY, "automatic change started by the PRIMARY publisher: lost "
                + pub.degraded + " (ST-7)", nowNs);
        failbackEligible = true;
        epochs.autoChangeMade(AlarmName.AutoFailoverFailed);
        cluster.raise(nowNs, SUBSCRIBER, AlarmName.AutoFailoverSucceeded, detail);
        return ActionResult.done(PUBLISHER, SECONDARY, detail, 0, null);
    }

    ActionResult onRecovered(ServerName server, long nowNs) {
        ServerState t = cluster.state(server);
        if (t.degraded == null) {
            return ActionResult.NOTHING;
        }
        LOG.info("{} recovered from {}", t.label(), t.degraded);
        t.degraded = null;
        cluster.afterEvent(nowNs);
        return ActionResult.done(server, t.status, t.label() + " recovered", 0, null);
    }

    private ActionResult failBack(long nowNs) {
        long heldMs = (nowNs - failbackHealthySinceNs) / Cluster.NS_PER_MS;
        failbackHealthySinceNs = Cluster.NEVER;
        failbackEligible = false;
        cluster.transitionTo(PUBLISHER, PRIMARY, SECONDARY, "automatic failback: publisher healthy for " + heldMs
                + " ms (hold-down " + cluster.settings().failbackHoldDownMs() + " ms) (ST-9)", nowNs);
        epochs.autoChangeMade(AlarmName.AutoFailbackFailed);
        String detail = "publisher took PRIMARY back at epoch " + cluster.epoch() + " after " + heldMs
                + " ms healthy (ST-9)";
        cluster.raise(nowNs, PUBLISHER, AlarmName.AutoFailbackSucceeded, detail);
        cluster.afterEvent(nowNs);
        return ActionResult.done(PUBLISHER, PRIMARY, detail, 0, null);
    }

    /** This server's database node: REPLICATING_DATA while it is not synced (section 2), then ST-10's backlog. */
    ActionResult onDatabaseNode(boolean synced, String state, long receiveQueue, long nowNs) {
        ServerName self = cluster.self();
        ServerState me = cluster.state(self);
        ServerState o = cluster.state(self.other());
        ActionResult r = ActionResult.NOTHING;
        if (!synced && me.status.answersCalls()) {
            cluster.transitionTo(self, REPLICATING_DATA, o.status, "its database node is " + state
                    + ": replicating data, no new call meanwhile", nowNs);
            r = ActionResult.done(self, REPLICATING_DATA, me.label() + " is replicating data (database node "
                    + state + ")", 0, null);
        } else if (synced && me.status == REPLICATING_DATA) {
            ServerStatus back = me.previous == PRIMARY && o.status == PRIMARY
                    ? SECONDARY // the other server was made PRIMARY meanwhile
                    : me.previous;
            cluster.transitionTo(self, back, o.status, "its database node is " + state
                    + ": replication finished, the previous status returns", nowNs);
            r = ActionResult.done(self, back, me.label() + " is " + back + " again", 0, null);
        }
        ClusterSettings settings = cluster.settings();
        // a SECONDARY, or a server replicating data that would return to SECONDARY (a Galera node that fell
        // behind is desynced first: its backlog grows while it is REPLICATING_DATA)
        boolean secondary = me.status == SECONDARY || (me.status == REPLICATING_DATA && me.previous == SECONDARY
                && o.status != DEACTIVATED && o.status != NOT_FUNCTIONING);
        if (settings.deactivateOnBacklog() && receiveQueue > settings.replicationBacklogLimit() && secondary) {
            String detail = me.label() + " replication backlog " + receiveQueue + " passed the limit "
                    + settings.replicationBacklogLimit() + ": DEACTIVATED (ST-10)";
            int[] dropped = cluster.transitionTo(self, DEACTIVATED, o.status, detail, nowNs);
            r = ActionResult.done(self, DEACTIVATED, detail, dropped.length, dropped);
        }
        if (r != ActionResult.NOTHING) {
            cluster.afterEvent(nowNs);
        }
        return r;
    }
}
