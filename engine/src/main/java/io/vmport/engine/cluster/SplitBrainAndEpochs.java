package io.vmport.engine.cluster;

import io.vmport.config.ServerName;

import java.util.Objects;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;

/**
 * The epoch as a fencing token (SPEC ST-13) and split brain (ST-12). The database's role row is the truth: a
 * PRIMARY it does not name steps down at once, and an automatic failover or failback this node claimed is reported
 * failed when the database or the peer names the other server at that epoch or later. Two PRIMARY servers that
 * meet again both show SPLIT_BRAIN_RECOVERY while their data is merged; then the publisher is PRIMARY and the
 * subscriber SECONDARY.
 */
final class SplitBrainAndEpochs {

    private final Cluster cluster;

    /** The alarm to raise when the automatic change this node claimed is refused; null when none is pending. */
    private AlarmName pendingClaimRefused;
    private long pendingClaimEpoch;

    SplitBrainAndEpochs(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * This node made an automatic change at the current epoch; until the database confirms it, a newer epoch
     * naming the other server raises {@code ifRefused} (AutoFailoverFailed or AutoFailbackFailed).
     */
    void autoChangeMade(AlarmName ifRefused) {
        pendingClaimRefused = ifRefused;
        pendingClaimEpoch = cluster.epoch();
    }

    /** No automatic change awaits confirmation any more (an administrator chose the roles). */
    void autoChangeSuperseded() {
        pendingClaimRefused = null;
    }

    ActionResult onDatabaseRole(ServerName holder, long dbEpoch, long nowNs) {
        Objects.requireNonNull(holder, "holder");
        ServerName self = cluster.self();
        if (holder == self || cluster.status(self) != PRIMARY) {
            cluster.adoptEpoch(dbEpoch);
            if (holder == self && pendingClaimRefused != null && dbEpoch >= pendingClaimEpoch) {
                pendingClaimRefused = null; // the database took this node's claim: the automatic change stands
            }
            return ActionResult.NOTHING;
        }
        // Decided here, at an epoch newer than the database's and than any this view sent: the peer adopts all of
        // it (its own PRIMARY too), and its heartbeats of older epochs do not undo it (the peer guard).
        cluster.adoptEpoch(dbEpoch);
        noteAutoChangeSuperseded(holder, cluster.epoch(), "database", nowNs);
        int[] dropped = cluster.transitionTo(self, SECONDARY, PRIMARY, "the database names " + holder.configName()
                + " PRIMARY at epoch " + dbEpoch + ": " + self.configName() + " stops primary-only work (ST-13)",
                nowNs);
        if (self == PUBLISHER) {
            cluster.publisherReturned(); // ST-1, ST-9: it takes PRIMARY back once healthy past the hold-down
        }
        cluster.afterEvent(nowNs);
        return ActionResult.done(self, SECONDARY, self.configName() + " is SECONDARY: the database names "
                + holder.configName() + " PRIMARY at epoch " + dbEpoch, dropped.length, dropped);
    }

    /** The database or the peer names {@code holder} PRIMARY at {@code newerEpoch}: a pending claim was refused. */
    void noteAutoChangeSuperseded(ServerName holder, long newerEpoch, String source, long nowNs) {
        if (pendingClaimRefused == null || holder == cluster.self() || newerEpoch < pendingClaimEpoch) {
            return;
        }
        AlarmName name = pendingClaimRefused;
        pendingClaimRefused = null;
        cluster.raise(nowNs, cluster.self(), name, "the " + source + " holds epoch " + newerEpoch + " naming "
                + (holder == null ? "no server" : holder.configName()) + " PRIMARY; this node's claim at epoch "
                + pendingClaimEpoch + " was refused (ST-13)");
    }

    ActionResult enterSplitBrainRecovery(long nowNs) {
        ServerName self = cluster.self();
        ServerState ps = cluster.state(self.other());
        cluster.transitionTo(self, SPLIT_BRAIN_RECOVERY, SPLIT_BRAIN_RECOVERY, "both servers were PRIMARY while"
                + " apart (" + ps.label() + " was shown " + ps.status + "): merging the data of both sides (ST-12)",
                nowNs);
        cluster.request(Effect.MERGE_DATA);
        return ActionResult.done(self, SPLIT_BRAIN_RECOVERY, "split brain: both servers are SPLIT_BRAIN_RECOVERY"
                + " while their data is merged (ST-12)", 0, null);
    }

    ActionResult onMergeCompleted(long nowNs) {
        if (!inRecovery()) {
            return ActionResult.NOTHING;
        }
        ActionResult r = resolveSplitBrain("merge completed", -1, nowNs);
        cluster.afterEvent(nowNs);
        return r;
    }

    ActionResult onMergeFailed(String detail, long nowNs) {
        if (!inRecovery()) {
            return ActionResult.NOTHING;
        }
        cluster.raise(nowNs, cluster.self(), AlarmName.SbrFailed, "split-brain recovery failed: " + detail
                + "; publisher PRIMARY, subscriber SECONDARY; unmerged data kept for a retry (ST-12)");
        ActionResult r = resolveSplitBrain("merge failed: " + detail, -1, nowNs);
        cluster.afterEvent(nowNs);
        return r;
    }

    private boolean inRecovery() {
        return cluster.status(PUBLISHER) == SPLIT_BRAIN_RECOVERY || cluster.status(SUBSCRIBER) == SPLIT_BRAIN_RECOVERY;
    }

    /** Publisher PRIMARY, subscriber SECONDARY (unless one is NOT_FUNCTIONING); at {@code adoptEpoch} or a new one. */
    ActionResult resolveSplitBrain(String why, long adoptEpoch, long nowNs) {
        ServerStatus pubTo = cluster.status(PUBLISHER) == NOT_FUNCTIONING ? NOT_FUNCTIONING : PRIMARY;
        ServerStatus subTo = cluster.status(SUBSCRIBER) == NOT_FUNCTIONING ? NOT_FUNCTIONING
                : pubTo == PRIMARY ? SECONDARY : PRIMARY;
        cluster.transitionTo(PUBLISHER, pubTo, subTo, "split-brain recovery over: " + why + " (ST-12)", adoptEpoch,
                nowNs);
        return ActionResult.done(cluster.self(), cluster.status(cluster.self()), "publisher " + pubTo
                + ", subscriber " + subTo, 0, null);
    }
}
