package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.REPLICATING_DATA;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;
import static io.vmport.engine.cluster.ServerStatus.STARTING;

/**
 * Watches the other server (SPEC ST-8, ST-11): its heartbeats, which bring this view the peer's status and, at a
 * newer epoch, the roles the peer decided; its silence, after which this node checks its own network; and what
 * follows a confirmed silence: the peer shown NOT_FUNCTIONING and, when automatic failover allows it, this
 * SECONDARY made PRIMARY. Two PRIMARY servers that meet again go to {@link SplitBrainAndEpochs} (ST-12).
 */
final class PeerWatch {

    private static final Logger LOG = LoggerFactory.getLogger(PeerWatch.class);

    private final Cluster cluster;
    private final SplitBrainAndEpochs epochs;

    private boolean connected;
    private long lastHeartbeatNs = Cluster.NEVER;
    private long lastNetworkCheckNs = Cluster.NEVER;
    private boolean networkCheckPending;
    /** An alarm was raised for the current silence already. */
    private boolean silenceAlarmed;

    PeerWatch(Cluster cluster, SplitBrainAndEpochs epochs) {
        this.cluster = cluster;
        this.epochs = epochs;
    }

    boolean connected() {
        return connected;
    }

    long lastHeartbeatNs() {
        return lastHeartbeatNs;
    }

    /** The cluster state is read (CL-3): silence counts from now unless a heartbeat came already. */
    void startWatching(long nowNs) {
        lastHeartbeatNs = connected ? lastHeartbeatNs : nowNs;
        lastNetworkCheckNs = nowNs;
    }

    ActionResult onHeartbeat(ServerStatus peerStatus, ServerStatus selfSeenByPeer, long peerEpoch,
                             boolean peerTakingCalls, boolean peerMergeDone, long nowNs) {
        Objects.requireNonNull(peerStatus, "peerStatus");
        ServerState me = cluster.state(cluster.self());
        ServerState ps = cluster.state(cluster.self().other());
        boolean wasApart = !connected;
        connected = true;
        lastHeartbeatNs = nowNs;
        networkCheckPending = false;
        silenceAlarmed = false;
        if (wasApart) {
            LOG.info("heartbeat from {} ({}, epoch {}); the peer link is up", ps.label(), peerStatus, peerEpoch);
        }
        if (cluster.settings().heartbeatTrace()) {
            LOG.info("heartbeat from {}: {} epoch {} takingCalls {}", ps.label(), peerStatus, peerEpoch,
                    peerTakingCalls);
        }
        long epoch = cluster.epoch();
        ActionResult r = ActionResult.NOTHING;
        boolean peerClaimsPrimary = peerStatus == PRIMARY || peerStatus == SPLIT_BRAIN_RECOVERY;
        if (me.status == PRIMARY && peerClaimsPrimary
                && (wasApart || ps.status == NOT_FUNCTIONING || ps.status == PRIMARY && peerEpoch <= epoch)) {
            r = epochs.enterSplitBrainRecovery(nowNs);
        } else if (me.status == SPLIT_BRAIN_RECOVERY && (peerStatus == PRIMARY || peerStatus == SECONDARY)
                && peerEpoch >= epoch) {
            r = epochs.onPeerInRecovery(peerStatus, peerEpoch, peerMergeDone, nowNs); // it left recovery
        } else {
            if (peerEpoch > epoch || peerEpoch >= cluster.peerGuardEpoch() || ps.status == NOT_FUNCTIONING) {
                if (ps.status == NOT_FUNCTIONING) {
                    cluster.clearPeerGuard(); // it came back and reads its status from the cluster state, not from us
                }
                r = adoptPeerView(peerStatus, selfSeenByPeer, peerEpoch, nowNs);
            }
            if (r == ActionResult.NOTHING && me.status == SPLIT_BRAIN_RECOVERY) {
                r = epochs.onPeerInRecovery(peerStatus, peerEpoch, peerMergeDone, nowNs); // its merge done? (ST-12)
            }
        }
        if (ps.takingCalls != peerTakingCalls) {
            ps.takingCalls = peerTakingCalls;
            if (peerTakingCalls) {
                ps.drainPending = false; // the peer raises its own ServerDrained
            }
            cluster.applyPortFlags(nowNs);
        }
        cluster.afterEvent(nowNs);
        return r;
    }

    private ActionResult adoptPeerView(ServerStatus peerStatus, ServerStatus selfSeenByPeer, long peerEpoch,
                                       long nowNs) {
        ServerState me = cluster.state(cluster.self());
        ServerState ps = cluster.state(cluster.self().other());
        ServerStatus selfTo = me.status;
        ServerStatus peerTo = peerStatus;
        if (peerEpoch > cluster.epoch()) {
            if (selfSeenByPeer != null && selfSeenByPeer != NOT_FUNCTIONING && selfSeenByPeer != STARTING
                    && me.status != STARTING) {
                selfTo = selfSeenByPeer;
            } else if (peerStatus == PRIMARY && me.status == PRIMARY) {
                selfTo = SECONDARY;
            } else if (selfSeenByPeer == null && peerStatus == SECONDARY && ps.status == PRIMARY
                    && me.status == SECONDARY) {
                selfTo = PRIMARY; // the PRIMARY handed over to this server (ST-5 done there, ST-7)
            }
        }
        if (selfTo == PRIMARY && peerTo == PRIMARY) {
            peerTo = ps.status == PRIMARY ? SECONDARY : ps.status;
        }
        if (selfTo == me.status && peerTo == ps.status) {
            cluster.adoptEpoch(peerEpoch);
            return ActionResult.NOTHING;
        }
        epochs.noteAutoChangeSuperseded(selfTo == PRIMARY ? cluster.self() : peerTo == PRIMARY ? ps.name : null,
                peerEpoch, "heartbeat", nowNs);
        int[] dropped = cluster.transitionTo(cluster.self(), selfTo, peerTo, "reported by " + ps.label() + " (epoch "
                + peerEpoch + ")", peerEpoch, nowNs);
        return ActionResult.done(ps.name, peerTo, ps.label() + " is " + peerTo + ", " + me.label() + " is "
                + selfTo, dropped.length, dropped);
    }

    ActionResult onLost(long nowNs) {
        if (!connected && networkCheckPending) {
            return ActionResult.NOTHING;
        }
        connected = false;
        requestNetworkCheck("the link to " + cluster.self().other().configName() + " closed", nowNs);
        cluster.afterEvent(nowNs);
        return ActionResult.NOTHING;
    }

    /** Asks for a network check when the peer has been silent for the local heartbeat timeout (ST-8, ST-11). */
    void onTick(long nowNs) {
        ClusterSettings settings = cluster.settings();
        long timeoutNs = settings.localHeartbeatTimeoutMs() * Cluster.NS_PER_MS;
        if (!networkCheckPending && cluster.state(cluster.self().other()).status != NOT_FUNCTIONING
                && nowNs - lastHeartbeatNs >= timeoutNs
                && (connected || nowNs - lastNetworkCheckNs >= timeoutNs)) {
            connected = false;
            requestNetworkCheck("no heartbeat from " + cluster.self().other().configName() + " for "
                    + (nowNs - lastHeartbeatNs) / Cluster.NS_PER_MS + " ms (timeout "
                    + settings.localHeartbeatTimeoutMs() + " ms)", nowNs);
            cluster.afterEvent(nowNs);
        }
    }

    private void requestNetworkCheck(String why, long nowNs) {
        networkCheckPending = true;
        lastNetworkCheckNs = nowNs;
        cluster.request(Effect.NETWORK_CHECK);
        LOG.warn("{}: checking this node's network {} (ST-8)", why, cluster.settings().networkCheck());
    }

    /** Takes the pending network check's outcome: false when none was pending or the peer was heard meanwhile. */
    private boolean checkOutcomeCounts() {
        if (!networkCheckPending) {
            return false;
        }
        networkCheckPending = false;
        return !connected;
    }

    ActionResult onNetworkCheckResult(boolean reachable, long nowNs) {
        if (!checkOutcomeCounts()) {
            return ActionResult.NOTHING;
        }
        ClusterSettings settings = cluster.settings();
        ServerState me = cluster.state(cluster.self());
        ServerState ps = cluster.state(cluster.self().other());
        ServerStatus peerRole = ps.status == REPLICATING_DATA ? ps.previous : ps.status;
        boolean failoverDue = me.status == SECONDARY && peerRole == PRIMARY;
        if (!reachable) {
            String detail = ps.label() + " is silent but this node's network is not confirmed (none of "
                    + settings.networkCheck() + " reached): status unchanged (ST-8)";
            if (failoverDue && settings.autoFailover() && !silenceAlarmed) {
                silenceAlarmed = true;
                cluster.raise(nowNs, me.name, AlarmName.AutoFailoverFailed, detail);
            } else {
                LOG.warn(detail);
            }
            cluster.afterEvent(nowNs);
            return ActionResult.done(me.name, me.status, detail, 0, null);
        }
        if (ps.status == NOT_FUNCTIONING) {
            return ActionResult.NOTHING;
        }
        int lost = cluster.ports().callsInProgress(ps.name);
        String silent = "no heartbeat from " + ps.label() + " (" + ps.status + ") for "
                + (nowNs - lastHeartbeatNs) / Cluster.NS_PER_MS + " ms and this node's network is confirmed; "
                + ps.label() + " is shown NOT_FUNCTIONING and its " + lost + " call(s) are lost";
        cluster.raise(nowNs, me.name, AlarmName.NoConnectionToPeer, silent);
        int[] dropped;
        if (failoverDue && settings.autoFailover()) {
            dropped = cluster.transitionTo(me.name, PRIMARY, NOT_FUNCTIONING, "automatic failover: " + ps.label()
                    + " PRIMARY is silent (ST-8)", nowNs);
            epochs.autoChangeMade(AlarmName.AutoFailoverFailed);
            cluster.raise(nowNs, me.name, AlarmName.AutoFailoverSucceeded, me.label() + " is PRIMARY at epoch "
                    + cluster.epoch() + " after " + ps.label() + " went silent (ST-8)");
        } else if (me.status == SPLIT_BRAIN_RECOVERY) {
            dropped = cluster.transitionTo(me.name, PRIMARY, NOT_FUNCTIONING, "peer lost during split-brain recovery",
                    nowNs);
        } else {
            dropped = cluster.transitionTo(me.name, me.status, NOT_FUNCTIONING, failoverDue
                    ? "peer PRIMARY silent; automatic failover is off: use Make Primary (ST-8)"
                    : "peer silent (ST-8)", nowNs);
        }
        cluster.afterEvent(nowNs);
        return ActionResult.done(ps.name, ps.status, silent, dropped.length, dropped);
    }

    ActionResult onPeerHoldsRoleInDatabase(long leaseAgeMs, long nowNs) {
        if (!checkOutcomeCounts()) {
            return ActionResult.NOTHING;
        }
        ServerState me = cluster.state(cluster.self());
        String detail = "no heartbeat from " + cluster.self().other().configName() + ", but it renewed the PRIMARY"
                + " role in the database " + leaseAgeMs + " ms ago: only the link between the nodes is down; status"
                + " unchanged (ST-8, ST-13)";
        if (!silenceAlarmed) {
            silenceAlarmed = true;
            cluster.raise(nowNs, me.name, AlarmName.NoConnectionToPeer, detail);
        } else {
            LOG.debug(detail);
        }
        cluster.afterEvent(nowNs);
        return ActionResult.done(me.name, me.status, detail, 0, null);
    }
}
