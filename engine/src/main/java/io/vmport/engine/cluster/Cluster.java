package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import io.vmport.config.ServerName;
import io.vmport.engine.ports.PortTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.DEACTIVATED;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.REPLICATING_DATA;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.STARTING;

/**
 * The cluster view that each node holds (SPEC sections 1, 2; DESIGN 3): both servers' statuses, the epoch, the
 * taking-calls flags, the peer link, the settings; and the ports whose states follow from them.
 *
 * <p>Single-threaded: only the pipeline's router stage calls it. It reads no clock (every method that needs time
 * takes {@code nowNs}) and does no I/O: work for the node is left as pending {@link Effect}s.
 *
 * <p>This class answers the queries and holds the one method through which every status changes,
 * {@code transition}: it bumps or adopts the epoch (ST-13), raises {@code StatusChangeStarted} and
 * {@code StatusChangeCompleted} for each server that changes (AL-1), drops the calls of a server that goes
 * DEACTIVATED or NOT_FUNCTIONING (CA-5), re-derives the port states, asks for the effects that follow, and logs.
 * The rules that decide a change live in package-private collaborators, each driven through this class:
 * {@link AdminActions} (PM-3), {@link PeerWatch} (heartbeats and silence, ST-8, ST-11),
 * {@link AutomaticChanges} (ST-7, ST-9, ST-10, REPLICATING_DATA) and {@link SplitBrainAndEpochs} (ST-12, ST-13).
 * Administrative actions and events that may change a status answer with an {@link ActionResult}.
 *
 * <p>Administrative actions are applied on the node of the server they concern (the node forwards the others);
 * heartbeats carry the sender's status and epoch, and bring the other node's view up to date.
 */
public final class Cluster {

    /** The value of {@link #lastHeartbeatNs()} before any heartbeat. */
    public static final long NEVER = Long.MIN_VALUE;
    static final long NS_PER_MS = 1_000_000L;
    /** {@link #mergeBudgetMs} in local heartbeat timeouts. */
    private static final int MERGE_TIMEOUTS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    private static final int[] NO_PORTS = new int[0];
    private static final Effect[] EFFECTS = Effect.values();

    private final ServerName self;
    private final PortTable ports;
    private final AlarmSink alarms;
    private final ClusterSettings settings;
    private final ServerState[] servers = {new ServerState(PUBLISHER), new ServerState(SUBSCRIBER)};

    private long epoch;
    /** Heartbeats from the peer older than this do not override the peer status this view set itself. */
    private long peerGuardEpoch;
    private boolean stateRead;
    private int pendingEffects;

    private final AdminActions admin = new AdminActions(this);
    private final SplitBrainAndEpochs epochs = new SplitBrainAndEpochs(this);
    private final AutomaticChanges automatic = new AutomaticChanges(this, epochs);
    private final PeerWatch peer = new PeerWatch(this, epochs);

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

    public ServerStatus status(ServerName server) {
        return state(server).status;
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

    /** The PRIMARY server; this node's own server when both are (split brain); null when none is. */
    public ServerName primary() {
        if (state(self).status == PRIMARY) {
            return self;
        }
        return state(self.other()).status == PRIMARY ? self.other() : null;
    }

    public int callsInProgress(ServerName server) {
        return ports.callsInProgress(server);
    }

    public boolean peerConnected() {
        return peer.connected();
    }

    /** When the last heartbeat from the peer arrived, or {@link #NEVER}. */
    public long lastHeartbeatNs() {
        return peer.lastHeartbeatNs();
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

    // =============================================================== administrative actions (PM-3)

    /** What {@code action} would do now, without doing it: ok or the refusal, and the calls it would affect. */
    public ActionResult preview(AdminAction action, ServerName server, boolean force) {
        return admin.perform(action, server, force, false, 0);
    }

    /**
     * Runs an administrative action: Make Primary (ST-5), Deactivate (ST-3, ST-4: with calls up refused, saying
     * how many would drop, unless {@code force}), Activate (ST-6), Stop Taking Calls and Take Calls (CA-4).
     */
    public ActionResult perform(AdminAction action, ServerName server, boolean force, long nowNs) {
        return admin.perform(action, server, force, true, nowNs);
    }

    // =============================================================== start (CL-3, ST-1)

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
        peer.startWatching(nowNs);
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
            automatic.publisherMayFailBack();
        }
        afterEvent(nowNs);
        return ActionResult.done(self, to, me.label() + " started as " + to, 0, null);
    }

    // =============================================================== the peer link (ST-8, ST-11, ST-12)

    /**
     * A heartbeat from the peer (ST-11): the peer is believed about its own status, unless this view changed that
     * status itself at a newer epoch than the heartbeat's; a newer epoch also tells this view who is PRIMARY
     * (ST-13); two PRIMARY servers meeting again after the link was down enter SPLIT_BRAIN_RECOVERY (ST-12), which
     * ends once both sides' merges are done ({@code peerMergeDone}).
     *
     * @param peerStatus      the peer's status
     * @param selfSeenByPeer  this server's status in the peer's view, or null when the heartbeat does not carry it
     * @param peerEpoch       the newest epoch the peer knows
     * @param peerTakingCalls the peer's taking-calls flag
     * @param peerMergeDone   the peer is SPLIT_BRAIN_RECOVERY and its own merge is done
     */
    public ActionResult onPeerHeartbeat(ServerStatus peerStatus, ServerStatus selfSeenByPeer, long peerEpoch,
                                        boolean peerTakingCalls, boolean peerMergeDone, long nowNs) {
        return peer.onHeartbeat(peerStatus, selfSeenByPeer, peerEpoch, peerTakingCalls, peerMergeDone, nowNs);
    }

    /** A heartbeat that does not say the peer's merge is done (outside split-brain recovery, an older peer). */
    public ActionResult onPeerHeartbeat(ServerStatus peerStatus, ServerStatus selfSeenByPeer, long peerEpoch,
                                        boolean peerTakingCalls, long nowNs) {
        return onPeerHeartbeat(peerStatus, selfSeenByPeer, peerEpoch, peerTakingCalls, false, nowNs);
    }

    /** The peer link closed: the peer is silent from now (ST-8), without waiting for the heartbeat timeout. */
    public ActionResult onPeerLost(long nowNs) {
        return peer.onLost(nowNs);
    }

    /**
     * Timers: after {@code localHeartbeatTimeoutMs} without a heartbeat the peer counts as silent and a
     * {@link Effect#NETWORK_CHECK} is requested (ST-8); a split-brain recovery whose own merge is done stops
     * waiting for the peer's after {@link #mergeBudgetMs} (ST-12); when the failback hold-down has passed, the
     * publisher takes PRIMARY back (ST-9). Allocation-free when nothing is due.
     */
    public ActionResult onTick(long nowNs) {
        if (!stateRead) {
            return ActionResult.NOTHING;
        }
        peer.onTick(nowNs);
        ActionResult r = epochs.onTick(nowNs);
        return r != ActionResult.NOTHING ? r : automatic.onTick(nowNs);
    }

    /**
     * ST-8: the outcome of {@link Effect#NETWORK_CHECK}. Not confirmed: nothing changes (AutoFailoverFailed when a
     * failover was due). Confirmed: NoConnectionToPeer, the silent peer is shown NOT_FUNCTIONING (its calls are
     * lost: CA-5), and a SECONDARY whose peer was PRIMARY becomes PRIMARY when automatic failover is on
     * (AutoFailoverSucceeded).
     */
    public ActionResult onNetworkCheckResult(boolean reachable, long nowNs) {
        return peer.onNetworkCheckResult(reachable, nowNs);
    }

    /**
     * ST-8, ST-13: the outcome of {@link Effect#NETWORK_CHECK} when this node's network is confirmed but the database
     * shows the silent peer renewing the PRIMARY role (its lease is {@code leaseAgeMs} old): only the link between
     * the nodes is down. Nothing changes; NoConnectionToPeer once per silence.
     */
    public ActionResult onPeerHoldsRoleInDatabase(long leaseAgeMs, long nowNs) {
        return peer.onPeerHoldsRoleInDatabase(leaseAgeMs, nowNs);
    }

    // =============================================================== epochs (ST-13) and split brain (ST-12)

    /**
     * ST-13: the database names {@code holder} PRIMARY at {@code dbEpoch}; the database is the truth. This view
     * takes at least that epoch. When the holder is the other server and this one is PRIMARY in its view, it
     * becomes SECONDARY at once (stops primary-only work) and the other server is shown PRIMARY; an automatic
     * failover or failback this node had just made is reported failed.
     */
    public ActionResult onDatabaseRole(ServerName holder, long dbEpoch, long nowNs) {
        return epochs.onDatabaseRole(holder, dbEpoch, nowNs);
    }

    /**
     * ST-12: this side's data is merged. Once the other side's is too (its heartbeats say so) the publisher is
     * PRIMARY and the subscriber SECONDARY; until then this server stays SPLIT_BRAIN_RECOVERY and
     * {@link #mergeDone()} is true.
     */
    public ActionResult onMergeCompleted(long nowNs) {
        return epochs.onMergeCompleted(nowNs);
    }

    /** This server is SPLIT_BRAIN_RECOVERY and its own merge is done (ST-12): its heartbeats say so. */
    public boolean mergeDone() {
        return epochs.mergeDone();
    }

    /**
     * How long a split-brain merge may take (ST-12): ten local heartbeat timeouts, at least 10 s. A node's own merge
     * fails (SbrFailed) past it, and the publisher waits no longer than this for the peer's after its own.
     */
    public static long mergeBudgetMs(ClusterSettings settings) {
        return Math.max(10_000, MERGE_TIMEOUTS * settings.localHeartbeatTimeoutMs());
    }

    /**
     * ST-12: the merge failed: SbrFailed. The roles are resolved anyway (publisher PRIMARY, subscriber SECONDARY)
     * so that calls are answered; the data left unmerged stays with the journal for an administrator to retry.
     */
    public ActionResult onMergeFailed(String detail, long nowNs) {
        return epochs.onMergeFailed(detail, nowNs);
    }

    // =============================================================== automatic changes (ST-7, ST-9, ST-10)

    /**
     * ST-7: the server detected an unrecoverable failure of its own. A PRIMARY publisher hands PRIMARY to the
     * subscriber when that is SECONDARY and automatic failover is on; otherwise the status stays and the server
     * runs degraded until {@link #onRecovered}. Calls in progress are not affected.
     */
    public ActionResult onCriticalFailure(ServerName server, CriticalFailure kind, long nowNs) {
        return automatic.onCriticalFailure(server, kind, nowNs);
    }

    /** The server's failure is over (ST-7); a recovered publisher starts the failback hold-down (ST-9). */
    public ActionResult onRecovered(ServerName server, long nowNs) {
        return automatic.onRecovered(server, nowNs);
    }

    /**
     * What this server's own database node says of its replication (SPEC section 2, ST-10): while it is not
     * synced (joining, donor, desynced...) the server is REPLICATING_DATA and answers no new call, then its
     * previous status returns; with ST-10 on, a SECONDARY whose node's receive queue passes the limit becomes
     * DEACTIVATED.
     *
     * @param synced       whether the database node is synced with its cluster
     * @param state        the node's own word for its state, for the log and the alarms
     * @param receiveQueue write sets received and not yet applied (the replication backlog)
     */
    public ActionResult onDatabaseNode(boolean synced, String state, long receiveQueue, long nowNs) {
        return automatic.onDatabaseNode(synced, state, receiveQueue, nowNs);
    }

    // =============================================================== calls

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

    // =============================================================== the one transition

    /** A change decided here: the epoch is bumped. Returns the ports whose calls were dropped. */
    int[] transitionTo(ServerName server, ServerStatus to, ServerStatus otherTo, String reason, long nowNs) {
        return transitionTo(server, to, otherTo, reason, -1, nowNs);
    }

    /** A change learnt from the peer or the database at {@code adoptEpoch} (or decided here when it is -1). */
    int[] transitionTo(ServerName server, ServerStatus to, ServerStatus otherTo, String reason, long adoptEpoch,
                       long nowNs) {
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
            pub.enter(publisherTo, newEpoch);
        }
        if (subChanges) {
            sub.enter(subscriberTo, newEpoch);
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
            request(Effect.PUBLISH_STATUS);
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
        Arrays.sort(all);
        return all;
    }

    /** CA-5: a server that goes DEACTIVATED or dies loses its calls; other changes leave calls alone. */
    private static boolean dropsCalls(ServerStatus to) {
        return to == DEACTIVATED || to == NOT_FUNCTIONING;
    }

    // =============================================================== for the collaborators

    ServerState state(ServerName server) {
        return servers[Objects.requireNonNull(server, "server").ordinal()];
    }

    boolean stateRead() {
        return stateRead;
    }

    /** Takes at least {@code newerEpoch} without a status change (learnt from the peer or the database). */
    void adoptEpoch(long newerEpoch) {
        epoch = Math.max(epoch, newerEpoch);
    }

    /** The epoch of the last change this view made to the peer's status itself (0: none stands). */
    long peerGuardEpoch() {
        return peerGuardEpoch;
    }

    /** The peer's heartbeats may correct its status again (it restarted, or its status was only read). */
    void clearPeerGuard() {
        peerGuardEpoch = 0;
    }

    void request(Effect effect) {
        pendingEffects |= effect.bit();
    }

    /** An administrator chose the roles (ST-5): no automatic failback undoes that, no auto change is pending. */
    void rolesChosenByAdministrator() {
        automatic.rolesChosenByAdministrator();
        epochs.autoChangeSuperseded();
    }

    /** The publisher was activated as SECONDARY (ST-9): it may take PRIMARY back after the hold-down. */
    void publisherReturned() {
        automatic.publisherMayFailBack();
    }

    /** Re-checks the conditions of automatic changes after every event (ST-7 hand-over, ST-9 hold-down). */
    void afterEvent(long nowNs) {
        automatic.afterEvent(nowNs);
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

    void raise(long nowNs, ServerName server, AlarmName name, String detail) {
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

    @Override
    public String toString() {
        ServerState pub = state(PUBLISHER);
        ServerState sub = state(SUBSCRIBER);
        return "Cluster[self=" + self.configName() + ", epoch=" + epoch
                + ", publisher=" + pub.status + (pub.takingCalls ? "" : " (not taking calls)")
                + ", subscriber=" + sub.status + (sub.takingCalls ? "" : " (not taking calls)")
                + ", peer " + (peer.connected() ? "connected" : "not connected") + "]";
    }
}
