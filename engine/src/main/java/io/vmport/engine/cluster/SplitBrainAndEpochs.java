package io.vmport.engine.cluster;

import io.vmport.config.ServerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Recovery ends when both sides' merges are done, so that the new PRIMARY's MWI read (MW-3) holds the messages
 * both sides kept: a side whose own merge is done says so in its heartbeats and stays SPLIT_BRAIN_RECOVERY; the
 * publisher leaves it (PRIMARY, the subscriber SECONDARY, one new epoch) once its own merge is done and the
 * subscriber's is too, and the subscriber follows when it hears the publisher PRIMARY. The publisher does not wait
 * for a subscriber that is lost (NOT_FUNCTIONING, link down), one that left recovery by itself (an older version
 * resolves on its own merge), nor longer than {@link Cluster#mergeBudgetMs} after its own merge (SbrFailed). A
 * failed merge resolves at once (SbrFailed).
 */
final class SplitBrainAndEpochs {

    private static final Logger LOG = LoggerFactory.getLogger(SplitBrainAndEpochs.class);

    private final Cluster cluster;

    /** When this server's own merge finished in the current recovery; {@link Cluster#NEVER} while it has not. */
    private long mergeDoneNs = Cluster.NEVER;
    /** The peer's last heartbeat said its own merge is done. */
    private boolean peerMergeDone;
    /** The epoch at which the peer said it had left recovery (PRIMARY or SECONDARY); -1 while it has not. */
    private long peerLeftAtEpoch = -1;

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
        forgetMerges();
        cluster.request(Effect.MERGE_DATA);
        return ActionResult.done(self, SPLIT_BRAIN_RECOVERY, "split brain: both servers are SPLIT_BRAIN_RECOVERY"
                + " while their data is merged (ST-12)", 0, null);
    }

    ActionResult onMergeCompleted(long nowNs) {
        ServerName self = cluster.self();
        if (cluster.status(self) != SPLIT_BRAIN_RECOVERY) {
            return inRecovery() ? resolveAfterEvent("merge completed", nowNs) : ActionResult.NOTHING;
        }
        if (mergeDoneNs == Cluster.NEVER) {
            mergeDoneNs = nowNs;
        }
        ActionResult r = resolveIfBothMerged(nowNs);
        if (r == ActionResult.NOTHING) {
            String detail = self.configName() + " merged its data; SPLIT_BRAIN_RECOVERY until "
                    + (self == PUBLISHER ? "the subscriber's merge is done" : "the publisher is PRIMARY") + " (ST-12)";
            LOG.info(detail);
            r = ActionResult.done(self, SPLIT_BRAIN_RECOVERY, detail, 0, null);
        }
        cluster.afterEvent(nowNs);
        return r;
    }

    /** This server is SPLIT_BRAIN_RECOVERY and its own merge is done: its heartbeats say so. */
    boolean mergeDone() {
        return mergeDoneNs != Cluster.NEVER && cluster.status(cluster.self()) == SPLIT_BRAIN_RECOVERY;
    }

    /**
     * A heartbeat while this server is SPLIT_BRAIN_RECOVERY: whether the peer's own merge is done, or that it left
     * recovery at {@code peerEpoch} ({@code peerStatus} PRIMARY or SECONDARY at this view's epoch or newer). A
     * subscriber follows a publisher that left at once; a publisher resolves when its own merge is done too.
     */
    ActionResult onPeerInRecovery(ServerStatus peerStatus, long peerEpoch, boolean peerSaysMergeDone, long nowNs) {
        peerMergeDone = peerSaysMergeDone && peerStatus == SPLIT_BRAIN_RECOVERY;
        boolean left = (peerStatus == PRIMARY || peerStatus == SECONDARY) && peerEpoch >= cluster.epoch();
        if (!left) {
            return resolveIfBothMerged(nowNs);
        }
        peerLeftAtEpoch = peerEpoch;
        ServerState ps = cluster.state(cluster.self().other());
        if (cluster.self() == SUBSCRIBER) {
            return resolveSplitBrain("the peer finished the merge (" + ps.label() + " is " + peerStatus + ", epoch "
                    + peerEpoch + ")", peerEpoch, nowNs);
        }
        return resolveIfBothMerged(nowNs);
    }

    /** The bound on waiting for the peer's merge (class javadoc). Allocation-free when nothing is due. */
    ActionResult onTick(long nowNs) {
        ActionResult r = resolveIfBothMerged(nowNs);
        if (r != ActionResult.NOTHING) {
            cluster.afterEvent(nowNs);
        }
        return r;
    }

    /**
     * Ends recovery when this server's own merge is done and the peer's need not be waited for (class javadoc);
     * NOTHING otherwise.
     */
    private ActionResult resolveIfBothMerged(long nowNs) {
        ServerName self = cluster.self();
        if (mergeDoneNs == Cluster.NEVER || cluster.status(self) != SPLIT_BRAIN_RECOVERY) {
            return ActionResult.NOTHING;
        }
        ServerState ps = cluster.state(self.other());
        if (peerLeftAtEpoch >= 0) {
            return resolveSplitBrain("both merges done (" + ps.label() + " left recovery at epoch " + peerLeftAtEpoch
                    + ")", peerLeftAtEpoch, nowNs);
        }
        if (ps.status == NOT_FUNCTIONING || !cluster.peerConnected()) {
            return resolveSplitBrain("merge completed; " + ps.label() + " is " + (cluster.peerConnected()
                    ? ps.status : "not connected") + ", its merge is not waited for", -1, nowNs);
        }
        if (self == PUBLISHER && peerMergeDone) {
            return resolveSplitBrain("both merges done", -1, nowNs);
        }
        long waitedMs = (nowNs - mergeDoneNs) / Cluster.NS_PER_MS;
        long budgetMs = Cluster.mergeBudgetMs(cluster.settings());
        if (waitedMs < budgetMs) {
            return ActionResult.NOTHING;
        }
        cluster.raise(nowNs, self, AlarmName.SbrFailed, ps.label() + " (" + ps.status + ") did not report its"
                + " split-brain merge done within " + budgetMs + " ms of " + self.configName() + "'s (waited "
                + waitedMs + " ms): publisher PRIMARY, subscriber SECONDARY; MWI counts may lack its messages until"
                + " they are stored (ST-12)");
        return resolveSplitBrain("the peer's merge not confirmed within " + budgetMs + " ms", -1, nowNs);
    }

    ActionResult onMergeFailed(String detail, long nowNs) {
        if (!inRecovery()) {
            return ActionResult.NOTHING;
        }
        cluster.raise(nowNs, cluster.self(), AlarmName.SbrFailed, "split-brain recovery failed: " + detail
                + "; publisher PRIMARY, subscriber SECONDARY; unmerged data kept for a retry (ST-12)");
        return resolveAfterEvent("merge failed: " + detail, nowNs);
    }

    private ActionResult resolveAfterEvent(String why, long nowNs) {
        ActionResult r = resolveSplitBrain(why, -1, nowNs);
        cluster.afterEvent(nowNs);
        return r;
    }

    private boolean inRecovery() {
        return cluster.status(PUBLISHER) == SPLIT_BRAIN_RECOVERY || cluster.status(SUBSCRIBER) == SPLIT_BRAIN_RECOVERY;
    }

    private void forgetMerges() {
        mergeDoneNs = Cluster.NEVER;
        peerMergeDone = false;
        peerLeftAtEpoch = -1;
    }

    /** Publisher PRIMARY, subscriber SECONDARY (unless one is NOT_FUNCTIONING); at {@code adoptEpoch} or a new one. */
    ActionResult resolveSplitBrain(String why, long adoptEpoch, long nowNs) {
        forgetMerges();
        ServerStatus pubTo = cluster.status(PUBLISHER) == NOT_FUNCTIONING ? NOT_FUNCTIONING : PRIMARY;
        ServerStatus subTo = cluster.status(SUBSCRIBER) == NOT_FUNCTIONING ? NOT_FUNCTIONING
                : pubTo == PRIMARY ? SECONDARY : PRIMARY;
        cluster.transitionTo(PUBLISHER, pubTo, subTo, "split-brain recovery over: " + why + " (ST-12)", adoptEpoch,
                nowNs);
        return ActionResult.done(cluster.self(), cluster.status(cluster.self()), "publisher " + pubTo
                + ", subscriber " + subTo, 0, null);
    }
}
