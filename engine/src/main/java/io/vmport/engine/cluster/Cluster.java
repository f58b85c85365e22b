package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import io.vmport.config.ServerName;
import io.vmport.engine.ports.PortTable;
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
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;
import static io.vmport.engine.cluster.ServerStatus.STARTING;

/**
 * The cluster view that each node holds (SPEC sections 1, 2; DESIGN 3): both servers' statuses, the epoch, the
 * taking-calls flags, the peer link, the settings; and the ports whose states follow from them.
 *
 * <p>Single-threaded: only the pipeline's router stage calls it. It reads no clock (every method that needs time
 * takes {@code nowNs}) and does no I/O: work for the node is left as pending {@link Effect}s.
 *
 * <p>Every status change goes through one method, {@code transition}, which bumps or adopts the epoch (ST-13),
 * raises {@code StatusChangeStarted} and {@code StatusChangeCompleted} for each server that changes (AL-1),
 * drops the calls of a server that goes DEACTIVATED or NOT_FUNCTIONING (CA-5), re-derives the port states, and
 * logs. Administrative actions (PM-3) answer with an {@link ActionResult}; so do events that may change a status.
 *
 * <p>Administrative actions are applied on the node that received them; the peer layer forwards them to the
 * other node, which applies the same action to its own view. Heartbeats carry the sender's status and epoch, and
 * repair a view that missed a change.
 */
public final class Cluster {

    /** The value of {@link #lastHeartbeatNs()} before any heartbeat. */
    public static final long NEVER = Long.MIN_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    private static final int[] NO_PORTS = new int[0];
    private static final long NS_PER_MS = 1_000_000L;
    private static final Effect[] EFFECTS = Effect.values();

    private enum AutoChange { NONE, FAILOVER, FAILBACK }

    private final ServerName self;
    private final PortTable ports;
    private final AlarmSink alarms;
    private final ServerState[] servers = {new ServerState(PUBLISHER), new ServerState(SUBSCRIBER)};
    private ClusterSettings settings;

    private long epoch;
    /** Heartbeats from the peer older than this do not override the peer status this view set itself. */
    private long peerGuardEpoch;
    private boolean stateRead;

    private boolean peerConnected;
    private long lastHeartbeatNs = NEVER;
    private long lastNetworkCheckNs = NEVER;
    private boolean networkCheckPending;
    private boolean silenceAlarmed;

    private boolean failbackEligible;
    private long failbackHealthySinceNs = NEVER;

    private AutoChange lastAuto = AutoChange.NONE;
    private long lastAutoEpoch;

    private int pendingEffects;

    private final AdminActions admin = new AdminActions(this);

    /**
     * A view held by the node that runs {@code self}. Both servers start STARTING (CL-3) until
     * {@link #onClusterStateRead} is called; the peer link counts as down until the first heartbeat.
     */
    public Cluster(ServerName self, ClusterSettings settings, PortTable ports, AlarmSink alarms) {
        this.self = Objects.requireNonNull(self, "self");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.alarms = Objects.requireNonNull(alarms, "alarms");
        if (ports.huntOrder() != settings.huntOrder()) {
            ports.setHuntOrder(settings.huntOrder());
        }
        applyPortFlags(0);
    }

    // =============================================================== queries

    /** The server this node runs. */
    public ServerName self() {
        return self;
    }

    public ServerName peer() {
        return self.other();
    }

    public ServerStatus status(ServerName server) {
        return state(server).status;
    }

    /** When the server entered its current status. */
    public long statusSinceNs(ServerName server) {
        return state(server).sinceNs;
    }

    /** The newest epoch this view knows (ST-13). */
    public long epoch() {
        return epoch;
    }

    /** The epoch under which the server's current status was set. */
    public long epochOf(ServerName server) {
        return state(server).epoch;
    }

    /** The taking-calls flag (CA-4): false after Stop Taking Calls, whatever the status. */
    public boolean takingCalls(ServerName server) {
        return state(server).takingCalls;
    }

    /** Whether new calls may reach the server's ports: its status answers calls and it takes calls. O(1). */
    public boolean acceptsCalls(ServerName server) {
        return servers[server.ordinal()].acceptsCalls();
    }

    /** Stop Taking Calls is in force and the server still has calls up (ServerDrained not raised yet). */
    public boolean draining(ServerName server) {
        return state(server).drainPending;
    }

    /** Why the server runs degraded (ST-7), or null when it is healthy. */
    public CriticalFailure degradation(ServerName server) {
        return state(server).degraded;
    }

    /** The PRIMARY server; this node's own server when both are (split brain); null when none is. */
    public ServerName primary() {
        if (state(self).status == PRIMARY) {
            return self;
        }
        return state(self.other()).status == PRIMARY ? self.other() : null;
    }

    /** Whether this node may do primary-only work now (publish, notify, send MWI): it is PRIMARY at the newest epoch. */
    public boolean mayDoPrimaryWork() {
        return state(self).status.publishesData();
    }

    public int callsInProgress(ServerName server) {
        return ports.callsInProgress(server);
    }

    public boolean peerConnected() {
        return peerConnected;
    }

    /** When the last heartbeat from the peer arrived, or {@link #NEVER}. */
    public long lastHeartbeatNs() {
        return lastHeartbeatNs;
    }

    /** When the publisher takes PRIMARY back automatically (ST-9) if it stays healthy, or {@link #NEVER}. */
    public long failbackDueNs() {
        return failbackHealthySinceNs == NEVER ? NEVER
                : failbackHealthySinceNs + settings.failbackHoldDownMs() * NS_PER_MS;
    }

    public ClusterSettings settings() {
        return settings;
    }

    public PortTable ports() {
        return ports;
    }

    /**
     * Takes the next pending effect, or null when none is pending. Poll on the router thread (after each event),
     * run the effect elsewhere, and report its outcome back as an event.
     */
    public Effect pollEffect() {
        if (pendingEffects == 0) {
            return null;
        }
        int ordinal = Integer.numberOfTrailingZeros(pendingEffects);
        pendingEffects &= pendingEffects - 1;
        return EFFECTS[ordinal];
    }

    public boolean isPending(Effect effect) {
        return (pendingEffects & effect.bit()) != 0;
    }

    // =============================================================== administrative actions (PM-3)

    /** What {@code action} would do now, without doing it: ok or the refusal, and the calls it would affect. */
    public ActionResult preview(AdminAction action, ServerName server, boolean force) {
        return admin.perform(action, server, force, false, 0);
    }

    /** Runs an administrative action by name (for the admin API). */
    public ActionResult perform(AdminAction action, ServerName server, boolean force, long nowNs) {
        return admin.perform(action, server, force, true, nowNs);
    }

    /** ST-5: a SECONDARY becomes PRIMARY and the PRIMARY becomes SECONDARY; calls in progress are not affected. */
    public ActionResult makePrimary(ServerName server, long nowNs) {
        return admin.perform(AdminAction.MAKE_PRIMARY, server, false, true, nowNs);
    }

    /**
     * ST-3, ST-4: only a SECONDARY can be deactivated. With calls up it is refused, saying how many would drop,
     * unless {@code force}: then they are dropped and their ports listed in the result.
     */
    public ActionResult deactivate(ServerName server, boolean force, long nowNs) {
        return admin.perform(AdminAction.DEACTIVATE, server, force, true, nowNs);
    }

    /** ST-6: a DEACTIVATED server becomes SECONDARY when the other is PRIMARY, PRIMARY otherwise. */
    public ActionResult activate(ServerName server, long nowNs) {
        return admin.perform(AdminAction.ACTIVATE, server, false, true, nowNs);
    }

    /** CA-4: no new call reaches the server; calls up continue; ServerDrained when the last ends. Status unchanged. */
    public ActionResult stopTakingCalls(ServerName server, long nowNs) {
        return admin.perform(AdminAction.STOP_TAKING_CALLS, server, false, true, nowNs);
    }

    /** CA-4: undoes Stop Taking Calls. Status unchanged. */
    public ActionResult takeCalls(ServerName server, long nowNs) {
        return admin.perform(AdminAction.TAKE_CALLS, server, false, true, nowNs);
    }

    // =============================================================== start (CL-3, ST-1)

    /** {@link #onClusterStateRead(ServerName, long, ServerStatus, ServerStatus, long)} with no stored own status. */
    public ActionResult onClusterStateRead(ServerName primaryHolder, long epoch, ServerStatus peerStatus, long nowNs) {
        return onClusterStateRead(primaryHolder, epoch, null, peerStatus, nowNs);
    }

    /**
     * CL-3: this node has read the cluster state and leaves STARTING. It stays DEACTIVATED when it was stored so;
     * otherwise it becomes SECONDARY when the peer is PRIMARY, and else PRIMARY, except that a subscriber whose
     * publisher is starting too becomes SECONDARY (ST-1: the publisher is PRIMARY when both work).
     *
     * @param primaryHolder the server the database names PRIMARY, or null
     * @param epoch         the epoch stored with it
     * @param ownStored     this server's stored status, or null when none is stored
     * @param peerStatus    the peer's status as stored or as its heartbeat says; NOT_FUNCTIONING when unknown
     */
    public ActionResult onClusterStateRead(ServerName primaryHolder, long epoch, ServerStatus ownStored,
                                           ServerStatus peerStatus, long nowNs) {
        Objects.requireNonNull(peerStatus, "peerStatus");
        ServerState me = state(self);
        if (stateRead || me.status != STARTING) {
            LOG.warn("cluster state read again while {} is {}; ignored", me.label(), me.status);
            return ActionResult.NOTHING;
        }
        stateRead = true;
        lastHeartbeatNs = peerConnected ? lastHeartbeatNs : nowNs;
        lastNetworkCheckNs = nowNs;
        this.epoch = Math.max(this.epoch, epoch);
        boolean peerIsPrimary = peerStatus == PRIMARY
                || (primaryHolder == self.other() && peerStatus == REPLICATING_DATA);
        ServerStatus to;
        if (ownStored == DEACTIVATED) {
            to = DEACTIVATED;
        } else if (peerIsPrimary) {
            to = SECONDARY;
        } else if (self == PUBLISHER) {
            to = PRIMARY;
        } else {
            to = peerStatus == STARTING || peerStatus.isTransient() ? SECONDARY : PRIMARY;
        }
        transitionTo(self, to, peerStatus, "cluster state read (CL-3): database names "
                + (primaryHolder == null ? "no server" : primaryHolder.configName()) + " PRIMARY at epoch " + epoch
                + ", " + self.other().configName() + " is " + peerStatus, nowNs);
        peerGuardEpoch = 0; // the peer's status was read, not decided here: its heartbeats may correct it
        if (self == PUBLISHER && to == SECONDARY) {
            failbackEligible = true;
        }
        afterEvent(nowNs);
        return ActionResult.done(self, to, me.label() + " started as " + to, 0, null);
    }

    // =============================================================== peer link (ST-8, ST-11, ST-12)

    /** A heartbeat that carries the peer's own status only (the brief's form). */
    public ActionResult onPeerHeartbeat(ServerStatus peerStatus, long peerEpoch, boolean peerTakingCalls, long nowNs) {
        return onPeerHeartbeat(peerStatus, null, peerEpoch, peerTakingCalls, nowNs);
    }

    /** Same as a heartbeat: the link is back (ST-12 checks for two PRIMARY servers here). */
    public ActionResult onPeerReconnected(ServerStatus peerStatus, long peerEpoch, boolean peerTakingCalls,
                                         long nowNs) {
        return onPeerHeartbeat(peerStatus, null, peerEpoch, peerTakingCalls, nowNs);
    }

    /**
     * A heartbeat from the peer (ST-11). The peer is believed about its own status, unless this view changed
     * that status itself at a newer epoch than the heartbeat's. A newer epoch also tells this view who is
     * PRIMARY (ST-13). Two PRIMARY servers meeting again after the link was down enter SPLIT_BRAIN_RECOVERY
     * (ST-12).
     *
     * @param peerStatus      the peer's status
     * @param selfSeenByPeer  this server's status in the peer's view, or null when the heartbeat does not carry it
     * @param peerEpoch       the newest epoch the peer knows
     * @param peerTakingCalls the peer's taking-calls flag
     */
    public ActionResult onPeerHeartbeat(ServerStatus peerStatus, ServerStatus selfSeenByPeer, long peerEpoch,
                                        boolean peerTakingCalls, long nowNs) {
        Objects.requireNonNull(peerStatus, "peerStatus");
        ServerState me = state(self);
        ServerState ps = state(self.other());
        boolean wasApart = !peerConnected;
        peerConnected = true;
        lastHeartbeatNs = nowNs;
        networkCheckPending = false;
        silenceAlarmed = false;
        if (wasApart) {
            LOG.info("heartbeat from {} ({}, epoch {}); the peer link is up", ps.label(), peerStatus, peerEpoch);
        }
        if (settings.heartbeatTrace()) {
            LOG.info("heartbeat from {}: {} epoch {} takingCalls {}", ps.label(), peerStatus, peerEpoch,
                    peerTakingCalls);
        }
        ActionResult r = ActionResult.NOTHING;
        boolean peerClaimsPrimary = peerStatus == PRIMARY || peerStatus == SPLIT_BRAIN_RECOVERY;
        if (me.status == PRIMARY && peerClaimsPrimary
                && (wasApart || ps.status == NOT_FUNCTIONING || ps.status == PRIMARY && peerEpoch <= epoch)) {
            r = enterSplitBrainRecovery(nowNs);
        } else if (me.status == SPLIT_BRAIN_RECOVERY && (peerStatus == PRIMARY || peerStatus == SECONDARY)
                && peerEpoch >= epoch) {
            r = resolveSplitBrain("the peer finished the merge (" + ps.label() + " is " + peerStatus + ", epoch "
                    + peerEpoch + ")", peerEpoch, nowNs);
        } else if (peerEpoch > epoch || peerEpoch >= peerGuardEpoch || ps.status == NOT_FUNCTIONING) {
            if (ps.status == NOT_FUNCTIONING) {
                peerGuardEpoch = 0; // it came back and reads its status from the cluster state, not from us
            }
            r = adoptPeerView(peerStatus, selfSeenByPeer, peerEpoch, nowNs);
        }
        if (ps.takingCalls != peerTakingCalls) {
            ps.takingCalls = peerTakingCalls;
            if (peerTakingCalls) {
                ps.drainPending = false; // the peer raises its own ServerDrained
            }
            applyPortFlags(nowNs);
        }
        afterEvent(nowNs);
        return r;
    }

    private ActionResult adoptPeerView(ServerStatus peerStatus, ServerStatus selfSeenByPeer, long peerEpoch,
                                       long nowNs) {
        ServerState me = state(self);
        ServerState ps = state(self.other());
        ServerStatus selfTo = me.status;
        ServerStatus peerTo = peerStatus;
        if (peerEpoch > epoch) {
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
            epoch = Math.max(epoch, peerEpoch);
            return ActionResult.NOTHING;
        }
        noteAutoChangeSuperseded(selfTo == PRIMARY ? self : peerTo == PRIMARY ? self.other() : null, peerEpoch,
                "heartbeat", nowNs);
        int[] dropped = transitionTo(self, selfTo, peerTo, "reported by " + ps.label() + " (epoch " + peerEpoch
                + ")", peerEpoch, nowNs);
        return ActionResult.done(self.other(), peerTo, ps.label() + " is " + peerTo + ", " + me.label() + " is "
                + selfTo, dropped.length, dropped);
    }

    /** The peer link closed: the peer is silent from now (ST-8), without waiting for the heartbeat timeout. */
    public ActionResult onPeerLost(long nowNs) {
        if (!peerConnected && networkCheckPending) {
            return ActionResult.NOTHING;
        }
        peerConnected = false;
        requestNetworkCheck("the link to " + self.other().configName() + " closed", nowNs);
        afterEvent(nowNs);
        return ActionResult.NOTHING;
    }

    /**
     * Timers: after {@code localHeartbeatTimeoutMs} without a heartbeat the peer counts as silent and a
     * {@link Effect#NETWORK_CHECK} is requested (ST-8); when the failback hold-down has passed, the publisher
     * takes PRIMARY back (ST-9). Allocation-free when nothing is due.
     */
    public ActionResult onTick(long nowNs) {
        if (!stateRead) {
            return ActionResult.NOTHING;
        }
        long timeoutNs = settings.localHeartbeatTimeoutMs() * NS_PER_MS;
        if (!networkCheckPending && state(self.other()).status != NOT_FUNCTIONING
                && nowNs - lastHeartbeatNs >= timeoutNs
                && (peerConnected || nowNs - lastNetworkCheckNs >= timeoutNs)) {
            peerConnected = false;
            requestNetworkCheck("no heartbeat from " + self.other().configName() + " for "
                    + (nowNs - lastHeartbeatNs) / NS_PER_MS + " ms (timeout " + settings.localHeartbeatTimeoutMs()
                    + " ms)", nowNs);
            afterEvent(nowNs);
        }
        if (failbackHealthySinceNs != NEVER
                && nowNs - failbackHealthySinceNs >= settings.failbackHoldDownMs() * NS_PER_MS) {
            return failBack(nowNs);
        }
        return ActionResult.NOTHING;
    }

    private void requestNetworkCheck(String why, long nowNs) {
        networkCheckPending = true;
        lastNetworkCheckNs = nowNs;
        pendingEffects |= Effect.NETWORK_CHECK.bit();
        LOG.warn("{}: checking this node's network {} (ST-8)", why, settings.networkCheck());
    }

    /**
     * ST-8: the outcome of {@link Effect#NETWORK_CHECK}. Not confirmed: nothing changes (AutoFailoverFailed when a
     * failover was due). Confirmed: NoConnectionToPeer, the silent peer is shown NOT_FUNCTIONING (its calls are
     * lost: CA-5), and a SECONDARY whose peer was PRIMARY becomes PRIMARY when automatic failover is on
     * (AutoFailoverSucceeded).
     */
    public ActionResult onNetworkCheckResult(boolean reachable, long nowNs) {
        if (!networkCheckPending) {
            return ActionResult.NOTHING;
        }
        networkCheckPending = false;
        if (peerConnected) {
            return ActionResult.NOTHING;
        }
        ServerState me = state(self);
        ServerState ps = state(self.other());
        ServerStatus peerRole = ps.status == REPLICATING_DATA ? ps.previous : ps.status;
        boolean failoverDue = me.status == SECONDARY && peerRole == PRIMARY;
        if (!reachable) {
            String detail = ps.label() + " is silent but this node's network is not confirmed (none of "
                    + settings.networkCheck() + " reached): status unchanged (ST-8)";
            if (failoverDue && settings.autoFailover() && !silenceAlarmed) {
                silenceAlarmed = true;
                raise(nowNs, self, AlarmName.AutoFailoverFailed, detail);
            } else {
                LOG.warn(detail);
            }
            afterEvent(nowNs);
            return ActionResult.done(self, me.status, detail, 0, null);
        }
        if (ps.status == NOT_FUNCTIONING) {
            return ActionResult.NOTHING;
        }
        int lost = ports.callsInProgress(ps.name);
        String silent = "no heartbeat from " + ps.label() + " (" + ps.status + ") for "
                + (nowNs - lastHeartbeatNs) / NS_PER_MS + " ms and this node's network is confirmed; " + ps.label()
                + " is shown NOT_FUNCTIONING and its " + lost + " call(s) are lost";
        raise(nowNs, self, AlarmName.NoConnectionToPeer, silent);
        int[] dropped;
        if (failoverDue && settings.autoFailover()) {
            dropped = transitionTo(self, PRIMARY, NOT_FUNCTIONING, "automatic failover: " + ps.label()
                    + " PRIMARY is silent (ST-8)", nowNs);
            lastAuto = AutoChange.FAILOVER;
            lastAutoEpoch = epoch;
            raise(nowNs, self, AlarmName.AutoFailoverSucceeded, me.label() + " is PRIMARY at epoch " + epoch
                    + " after " + ps.label() + " went silent (ST-8)");
        } else if (me.status == SPLIT_BRAIN_RECOVERY) {
            dropped = transitionTo(self, PRIMARY, NOT_FUNCTIONING, "peer lost during split-brain recovery", nowNs);
        } else {
            dropped = transitionTo(self, me.status, NOT_FUNCTIONING, failoverDue
                    ? "peer PRIMARY silent; automatic failover is off: use Make Primary (ST-8)"
                    : "peer silent (ST-8)", nowNs);
        }
        afterEvent(nowNs);
        return ActionResult.done(ps.name, ps.status, silent, dropped.length, dropped);
    }

    /**
     * ST-8, ST-13: the outcome of {@link Effect#NETWORK_CHECK} when this node's network is confirmed but the database
     * shows the silent peer renewing the PRIMARY role (its lease is {@code leaseAgeMs} old): the peer is alive and
     * only the link between the nodes is down. Nothing changes (no failover, the peer is not shown NOT_FUNCTIONING);
     * NoConnectionToPeer once per silence. The next check comes after another heartbeat timeout.
     */
    public ActionResult onPeerHoldsRoleInDatabase(long leaseAgeMs, long nowNs) {
        if (!networkCheckPending) {
            return ActionResult.NOTHING;
        }
        networkCheckPending = false;
        if (peerConnected) {
            return ActionResult.NOTHING;
        }
        ServerState ps = state(self.other());
        String detail = "no heartbeat from " + ps.label() + ", but it renewed the PRIMARY role in the database "
                + leaseAgeMs + " ms ago: only the link between the nodes is down; status unchanged (ST-8, ST-13)";
        if (!silenceAlarmed) {
            silenceAlarmed = true;
            raise(nowNs, self, AlarmName.NoConnectionToPeer, detail);
        } else {
            LOG.debug(detail);
        }
        afterEvent(nowNs);
        return ActionResult.done(self, state(self).status, detail, 0, null);
    }

    /**
     * ST-13: the database names {@code holder} PRIMARY at {@code dbEpoch}; the database is the truth. This view
     * takes at least that epoch. When the holder is the other server and this one is PRIMARY in its view, its claim
     * was refused or it lost the role while apart: it becomes SECONDARY at once (stops primary-only work), whatever
     * its own epoch counter says, and the other server is shown PRIMARY. A publisher made SECONDARY so takes PRIMARY
     * back by the failback rule (ST-9) once the peer link is up and the hold-down has passed (ST-1).
     */
    public ActionResult onDatabaseRole(ServerName holder, long dbEpoch, long nowNs) {
        Objects.requireNonNull(holder, "holder");
        if (holder == self || state(self).status != PRIMARY) {
            if (dbEpoch > epoch) {
                epoch = dbEpoch;
            }
            if (holder == self) {
                onStatusPublished(dbEpoch, nowNs);
            }
            return ActionResult.NOTHING;
        }
        // Decided here, at an epoch newer than the database's and than any this view sent: the peer adopts all of
        // it (its own PRIMARY too), and its heartbeats of older epochs do not undo it (the peer guard).
        epoch = Math.max(epoch, dbEpoch);
        noteAutoChangeSuperseded(holder, epoch, "database", nowNs);
        ServerState me = state(self);
        int[] dropped = transitionTo(self, SECONDARY, PRIMARY, "the database names " + holder.configName()
                + " PRIMARY at epoch " + dbEpoch + ": " + me.label() + " stops primary-only work (ST-13)", nowNs);
        if (self == PUBLISHER) {
            failbackEligible = true; // ST-1, ST-9: the publisher takes PRIMARY back once healthy past the hold-down
        }
        afterEvent(nowNs);
        return ActionResult.done(self, SECONDARY, me.label() + " is SECONDARY: the database names "
                + holder.configName() + " PRIMARY at epoch " + dbEpoch, dropped.length, dropped);
    }

    // =============================================================== automatic changes (ST-7, ST-9, ST-10)

    /**
     * ST-7: the server detected an unrecoverable failure of its own. A PRIMARY publisher hands PRIMARY to the
     * subscriber when that is SECONDARY (neither DEACTIVATED nor NOT_FUNCTIONING) and automatic failover is on;
     * otherwise, and for any other server, the status stays and the server runs degraded until
     * {@link #onRecovered}. Calls in progress are not affected.
     */
    public ActionResult onCriticalFailure(ServerName server, CriticalFailure kind, long nowNs) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(kind, "kind");
        ServerState t = state(server);
        ServerState o = state(server.other());
        t.degraded = kind;
        ActionResult r;
        if (t.status == PRIMARY && server == PUBLISHER) {
            if (o.status == DEACTIVATED || o.status == NOT_FUNCTIONING || !settings.autoFailover()) {
                String why = o.status == DEACTIVATED || o.status == NOT_FUNCTIONING ? o.label() + " is " + o.status
                        : "automatic failover is off";
                String detail = "publisher is PRIMARY and lost " + kind + ", but " + why
                        + ": it stays PRIMARY, degraded (ST-7)";
                raise(nowNs, server, AlarmName.AutoFailoverFailed, detail);
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
        afterEvent(nowNs);
        return r;
    }

    private ActionResult handOver(long nowNs) {
        ServerState pub = state(PUBLISHER);
        String detail = "publisher lost " + pub.degraded + "; subscriber is PRIMARY, publisher SECONDARY (ST-7)";
        transitionTo(PUBLISHER, SECONDARY, PRIMARY, "automatic change started by the PRIMARY publisher: lost "
                + pub.degraded + " (ST-7)", nowNs);
        failbackEligible = true;
        lastAuto = AutoChange.FAILOVER;
        lastAutoEpoch = epoch;
        raise(nowNs, SUBSCRIBER, AlarmName.AutoFailoverSucceeded, detail);
        return ActionResult.done(PUBLISHER, SECONDARY, detail, 0, null);
    }

    /** The server's failure is over (ST-7); a recovered publisher starts the failback hold-down (ST-9). */
    public ActionResult onRecovered(ServerName server, long nowNs) {
        ServerState t = state(server);
        if (t.degraded == null) {
            return ActionResult.NOTHING;
        }
        LOG.info("{} recovered from {}", t.label(), t.degraded);
        t.degraded = null;
        afterEvent(nowNs);
        return ActionResult.done(server, t.status, t.label() + " recovered", 0, null);
    }

    private ActionResult failBack(long nowNs) {
        long heldMs = (nowNs - failbackHealthySinceNs) / NS_PER_MS;
        failbackHealthySinceNs = NEVER;
        failbackEligible = false;
        transitionTo(PUBLISHER, PRIMARY, SECONDARY, "automatic failback: publisher healthy for " + heldMs
                + " ms (hold-down " + settings.failbackHoldDownMs() + " ms) (ST-9)", nowNs);
        lastAuto = AutoChange.FAILBACK;
        lastAutoEpoch = epoch;
        String detail = "publisher took PRIMARY back at epoch " + epoch + " after " + heldMs + " ms healthy (ST-9)";
        raise(nowNs, PUBLISHER, AlarmName.AutoFailbackSucceeded, detail);
        afterEvent(nowNs);
        return ActionResult.done(PUBLISHER, PRIMARY, detail, 0, null);
    }

    /** ST-10: with the setting on, a SECONDARY whose replication backlog passes the limit becomes DEACTIVATED. */
    public ActionResult onReplicationBacklog(ServerName server, long backlog, long nowNs) {
        ServerState t = state(server);
        if (!settings.deactivateOnBacklog() || backlog <= settings.replicationBacklogLimit() || t.status != SECONDARY) {
            return ActionResult.NOTHING;
        }
        String detail = t.label() + " replication backlog " + backlog + " passed the limit "
                + settings.replicationBacklogLimit() + ": DEACTIVATED (ST-10)";
        int[] dropped = transitionTo(server, DEACTIVATED, state(server.other()).status, detail, nowNs);
        afterEvent(nowNs);
        return ActionResult.done(server, DEACTIVATED, detail, dropped.length, dropped);
    }

    /** The server replicates data for a short while: REPLICATING_DATA; calls in progress continue (CA-5). */
    public ActionResult onReplicationStarted(ServerName server, long nowNs) {
        ServerState t = state(server);
        if (!t.status.answersCalls()) {
            return ActionResult.NOTHING;
        }
        transitionTo(server, REPLICATING_DATA, state(server.other()).status, "replicating data", nowNs);
        afterEvent(nowNs);
        return ActionResult.done(server, REPLICATING_DATA, t.label() + " is replicating data", 0, null);
    }

    /** Replication is over: the previous status returns. */
    public ActionResult onReplicationFinished(ServerName server, long nowNs) {
        ServerState t = state(server);
        if (t.status != REPLICATING_DATA) {
            return ActionResult.NOTHING;
        }
        ServerStatus back = t.previous;
        ServerState o = state(server.other());
        if (back == PRIMARY && o.status == PRIMARY) {
            back = SECONDARY; // the other server was made PRIMARY meanwhile
        }
        transitionTo(server, back, o.status, "replication finished: previous status returns", nowNs);
        afterEvent(nowNs);
        return ActionResult.done(server, back, t.label() + " is " + back + " again", 0, null);
    }

    // =============================================================== split brain (ST-12) and epochs (ST-13)

    private ActionResult enterSplitBrainRecovery(long nowNs) {
        ServerState ps = state(self.other());
        transitionTo(self, SPLIT_BRAIN_RECOVERY, SPLIT_BRAIN_RECOVERY, "both servers were PRIMARY while apart ("
                + ps.label() + " was shown " + ps.status + "): merging the data of both sides (ST-12)", nowNs);
        pendingEffects |= Effect.MERGE_DATA.bit();
        return ActionResult.done(self, SPLIT_BRAIN_RECOVERY, "split brain: both servers are SPLIT_BRAIN_RECOVERY while"
                + " their data is merged (ST-12)", 0, null);
    }

    /** ST-12: both sides' data is merged and MWI reconciled: the publisher is PRIMARY, the subscriber SECONDARY. */
    public ActionResult onMergeCompleted(long nowNs) {
        if (!inSplitBrainRecovery()) {
            return ActionResult.NOTHING;
        }
        ActionResult r = resolveSplitBrain("merge completed", -1, nowNs);
        afterEvent(nowNs);
        return r;
    }

    /** {@link #onMergeFailed(String, long)} without a detail. */
    public ActionResult onMergeFailed(long nowNs) {
        return onMergeFailed("no detail given", nowNs);
    }

    /**
     * ST-12: the merge failed: SbrFailed. The roles are resolved anyway (publisher PRIMARY, subscriber SECONDARY)
     * so that calls are answered; the data left unmerged stays with the journal for an administrator to retry.
     */
    public ActionResult onMergeFailed(String detail, long nowNs) {
        if (!inSplitBrainRecovery()) {
            return ActionResult.NOTHING;
        }
        raise(nowNs, self, AlarmName.SbrFailed, "split-brain recovery failed: " + detail
                + "; publisher PRIMARY, subscriber SECONDARY; unmerged data kept for a retry (ST-12)");
        ActionResult r = resolveSplitBrain("merge failed: " + detail, -1, nowNs);
        afterEvent(nowNs);
        return r;
    }

    private boolean inSplitBrainRecovery() {
        return state(PUBLISHER).status == SPLIT_BRAIN_RECOVERY || state(SUBSCRIBER).status == SPLIT_BRAIN_RECOVERY;
    }

    private ActionResult resolveSplitBrain(String why, long adoptEpoch, long nowNs) {
        ServerStatus pubTo = state(PUBLISHER).status == NOT_FUNCTIONING ? NOT_FUNCTIONING : PRIMARY;
        ServerStatus subTo = state(SUBSCRIBER).status == NOT_FUNCTIONING ? NOT_FUNCTIONING
                : pubTo == PRIMARY ? SECONDARY : PRIMARY;
        transition(pubTo, subTo, "split-brain recovery over: " + why + " (ST-12)", adoptEpoch, nowNs);
        return ActionResult.done(self, state(self).status, "publisher " + pubTo + ", subscriber " + subTo, 0, null);
    }

    /**
     * ST-13: the database (or the peer) holds a newer epoch whose PRIMARY is {@code holder}. If that is the other
     * server, this one stops primary-only work at once (PRIMARY becomes SECONDARY); an automatic failover or
     * failback this node had just made is reported failed. An equal epoch with a different holder also counts:
     * the database refused this node's write of that epoch. An older epoch is ignored.
     */
    public ActionResult onNewerEpoch(long newerEpoch, ServerName holder, long nowNs) {
        Objects.requireNonNull(holder, "holder");
        if (newerEpoch < epoch || (newerEpoch == epoch && holder == primary())) {
            return ActionResult.NOTHING;
        }
        ServerState me = state(self);
        ServerState ps = state(self.other());
        ServerStatus selfTo = me.status;
        ServerStatus peerTo = ps.status;
        if (holder == self) {
            if (me.status == SECONDARY) {
                selfTo = PRIMARY;
            }
            if (peerTo == PRIMARY) {
                peerTo = SECONDARY;
            }
        } else {
            if (me.status == PRIMARY) {
                selfTo = SECONDARY;
            }
            peerTo = PRIMARY;
        }
        noteAutoChangeSuperseded(holder, newerEpoch, "database", nowNs);
        int[] dropped = transitionTo(self, selfTo, peerTo, "epoch " + newerEpoch + " names " + holder.configName()
                + " PRIMARY (ST-13)", newerEpoch, nowNs);
        epoch = Math.max(epoch, newerEpoch);
        afterEvent(nowNs);
        return ActionResult.done(self, selfTo, me.label() + " is " + selfTo + " under epoch " + newerEpoch + " held by "
                + holder.configName(), dropped.length, dropped);
    }

    /** ST-13: the node wrote the statuses of {@code writtenEpoch} to the database: an automatic change stands. */
    public void onStatusPublished(long writtenEpoch, long nowNs) {
        if (lastAuto != AutoChange.NONE && writtenEpoch >= lastAutoEpoch) {
            lastAuto = AutoChange.NONE;
        }
    }

    private void noteAutoChangeSuperseded(ServerName holder, long newerEpoch, String source, long nowNs) {
        if (lastAuto == AutoChange.NONE || holder == self || newerEpoch < lastAutoEpoch) {
            return;
        }
        AlarmName name = lastAuto == AutoChange.FAILOVER ? AlarmName.AutoFailoverFailed : AlarmName.AutoFailbackFailed;
        lastAuto = AutoChange.NONE;
        raise(nowNs, self, name, "the " + source + " holds epoch " + newerEpoch + " naming "
                + (holder == null ? "no server" : holder.configName()) + " PRIMARY; this node's claim at epoch "
                + lastAutoEpoch + " was refused (ST-13)");
    }

    // =============================================================== calls and settings

    /**
     * A call the server answered has ended (the router calls this after freeing the port): raises ServerDrained
     * when the server stopped taking calls and this was its last call (CA-4). O(1), allocation-free otherwise.
     */
    public void callEnded(ServerName server, long nowNs) {
        ServerState t = servers[server.ordinal()];
        if (t.drainPending) {
            checkDrained(t, nowNs);
        }
    }

    /** New cluster settings (hunt order, absorb, timers, switches) take effect now. */
    public void updateSettings(ClusterSettings newSettings, long nowNs) {
        this.settings = Objects.requireNonNull(newSettings, "settings");
        ports.setHuntOrder(newSettings.huntOrder());
        applyPortFlags(nowNs);
        afterEvent(nowNs);
    }

    // =============================================================== the one transition

    int[] transitionTo(ServerName server, ServerStatus to, ServerStatus otherTo, String reason, long nowNs) {
        return transitionTo(server, to, otherTo, reason, -1, nowNs);
    }

    private int[] transitionTo(ServerName server, ServerStatus to, ServerStatus otherTo, String reason,
                               long adoptEpoch, long nowNs) {
        return server == PUBLISHER ? transition(to, otherTo, reason, adoptEpoch, nowNs)
                : transition(otherTo, to, reason, adoptEpoch, nowNs);
    }

    /**
     * The one place where statuses change. A change made here bumps the epoch; one learnt from the peer or the
     * database ({@code adoptEpoch >= 0}) takes that epoch. Returns the ports whose calls were dropped.
     */
    private int[] transition(ServerStatus publisherTo, ServerStatus subscriberTo, String reason, long adoptEpoch,
                             long nowNs) {
        ServerState pub = state(PUBLISHER);
        ServerState sub = state(SUBSCRIBER);
        ServerStatus pubFrom = pub.status;
        ServerStatus subFrom = sub.status;
        boolean pubChanges = publisherTo != pubFrom;
        boolean subChanges = subscriberTo != subFrom;
        if (!pubChanges && !subChanges) {
            return NO_PORTS;
        }
        boolean selfPublished = state(self).status.publishesData();
        long newEpoch = adoptEpoch >= 0 ? Math.max(epoch, adoptEpoch) : epoch + 1;
        String change = "publisher " + pubFrom + (pubChanges ? " -> " + publisherTo : "") + ", subscriber " + subFrom
                + (subChanges ? " -> " + subscriberTo : "") + " at epoch " + newEpoch + ": " + reason;
        if (pubChanges) {
            raise(nowNs, PUBLISHER, AlarmName.StatusChangeStarted, change);
        }
        if (subChanges) {
            raise(nowNs, SUBSCRIBER, AlarmName.StatusChangeStarted, change);
        }
        epoch = newEpoch;
        if (pubChanges) {
            pub.enter(publisherTo, nowNs, newEpoch);
        }
        if (subChanges) {
            sub.enter(subscriberTo, nowNs, newEpoch);
        }
        if (adoptEpoch < 0 && state(self.other()).status != (self == PUBLISHER ? subFrom : pubFrom)) {
            peerGuardEpoch = newEpoch;
        }
        int[] pubDropped = pubChanges && dropsCalls(publisherTo) ? ports.dropCalls(PUBLISHER, nowNs) : NO_PORTS;
        int[] subDropped = subChanges && dropsCalls(subscriberTo) ? ports.dropCalls(SUBSCRIBER, nowNs) : NO_PORTS;
        applyPortFlags(nowNs);
        boolean selfPublishes = state(self).status.publishesData();
        if (selfPublishes && !selfPublished) {
            pendingEffects = (pendingEffects | Effect.START_PRIMARY_SERVICES.bit())
                    & ~Effect.STOP_PRIMARY_SERVICES.bit();
        } else if (!selfPublishes && selfPublished) {
            pendingEffects = (pendingEffects | Effect.STOP_PRIMARY_SERVICES.bit())
                    & ~Effect.START_PRIMARY_SERVICES.bit();
        }
        if (adoptEpoch < 0) {
            pendingEffects |= Effect.PUBLISH_STATUS.bit();
        }
        if (pubChanges) {
            raise(nowNs, PUBLISHER, AlarmName.StatusChangeCompleted, "publisher is " + publisherTo + " at epoch "
                    + newEpoch + (pubDropped.length > 0 ? "; " + pubDropped.length + " call(s) dropped" : ""));
        }
        if (subChanges) {
            raise(nowNs, SUBSCRIBER, AlarmName.StatusChangeCompleted, "subscriber is " + subscriberTo + " at epoch "
                    + newEpoch + (subDropped.length > 0 ? "; " + subDropped.length + " call(s) dropped" : ""));
        }
        if (pubDropped.length > 0) {
            checkDrained(pub, nowNs);
        }
        if (subDropped.length > 0) {
            checkDrained(sub, nowNs);
        }
        LOG.info("status change: {}", change);
        if (pubDropped.length == 0) {
            return subDropped;
        }
        if (subDropped.length == 0) {
            return pubDropped;
        }
        int[] all = new int[pubDropped.length + subDropped.length];
        System.arraycopy(pubDropped, 0, all, 0, pubDropped.length);
        System.arraycopy(subDropped, 0, all, pubDropped.length, subDropped.length);
        java.util.Arrays.sort(all);
        return all;
    }

    /** CA-5: a server that goes DEACTIVATED or dies loses its calls; other changes leave calls alone. */
    private static boolean dropsCalls(ServerStatus to) {
        return to == DEACTIVATED || to == NOT_FUNCTIONING;
    }

    // =============================================================== helpers

    /** An administrator chose the roles (ST-5): no automatic failback undoes that, no auto change is pending. */
    void rolesChosenByAdministrator() {
        failbackEligible = false;
        lastAuto = AutoChange.NONE;
    }

    /** The publisher was activated as SECONDARY (ST-9): it may take PRIMARY back after the hold-down. */
    void publisherReturned() {
        failbackEligible = true;
    }

    static Logger log() {
        return LOG;
    }


    /** Re-checks the conditions of automatic changes after every event: hand-over (ST-7), failback hold-down (ST-9). */
    void afterEvent(long nowNs) {
        ServerState pub = state(PUBLISHER);
        ServerState sub = state(SUBSCRIBER);
        if (pub.status == PRIMARY && pub.degraded != null && settings.autoFailover() && sub.status == SECONDARY) {
            handOver(nowNs);
        }
        boolean healthy = self == PUBLISHER && failbackEligible && settings.autoFailback() && peerConnected
                && pub.status == SECONDARY && pub.degraded == null && sub.status == PRIMARY;
        if (!healthy) {
            if (failbackHealthySinceNs != NEVER) {
                LOG.info("failback hold-down reset: publisher {} {}, subscriber {}, peer link {} (ST-9)", pub.status,
                        pub.degraded == null ? "healthy" : "degraded", sub.status, peerConnected ? "up" : "down");
            }
            failbackHealthySinceNs = NEVER;
        } else if (failbackHealthySinceNs == NEVER) {
            failbackHealthySinceNs = nowNs;
        }
    }

    void checkDrained(ServerState t, long nowNs) {
        if (t.drainPending && ports.callsInProgress(t.name) == 0) {
            t.drainPending = false;
            raise(nowNs, t.name, AlarmName.ServerDrained, t.label() + " stopped taking calls and has no call left"
                    + " (status " + t.status + ", CA-4)");
        }
    }

    void applyPortFlags(long nowNs) {
        ServerState pub = state(PUBLISHER);
        ServerState sub = state(SUBSCRIBER);
        boolean absorb = settings.absorbPeerPortsOnFailover() && ports.plan().isSplitSip();
        boolean pubAccepts = pub.acceptsCalls();
        boolean subAccepts = sub.acceptsCalls();
        ports.applyServerFlags(pubAccepts, subAccepts,
                absorb && pubAccepts && !sub.status.answersCalls(),
                absorb && subAccepts && !pub.status.answersCalls(), nowNs);
    }

    private void raise(long nowNs, ServerName server, AlarmName name, String detail) {
        if (name == AlarmName.StatusChangeStarted || name == AlarmName.StatusChangeCompleted) {
            LOG.info("alarm {} [{}]: {}", name, server.configName(), detail);
        } else {
            LOG.warn("alarm {} [{}]: {}", name, server.configName(), detail);
        }
        try {
            alarms.raise(new Alarm(nowNs, server, name, detail));
        } catch (RuntimeException e) {
            LOG.error("alarm sink failed on {} [{}]; the cluster state is unaffected", name, server.configName(), e);
        }
    }

    ServerState state(ServerName server) {
        return servers[Objects.requireNonNull(server, "server").ordinal()];
    }

    @Override
    public String toString() {
        ServerState pub = state(PUBLISHER);
        ServerState sub = state(SUBSCRIBER);
        return "Cluster[self=" + self.configName() + ", epoch=" + epoch
                + ", publisher=" + pub.status + (pub.takingCalls ? "" : " (not taking calls)")
                + ", subscriber=" + sub.status + (sub.takingCalls ? "" : " (not taking calls)")
                + ", peer " + (peerConnected ? "connected" : "not connected") + "]";
    }
}
