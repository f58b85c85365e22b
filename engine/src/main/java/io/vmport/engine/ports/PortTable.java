package io.vmport.engine.ports;

import io.vmport.config.HuntOrder;
import io.vmport.config.ServerName;

import java.util.Objects;

/**
 * The live state of every port (SPEC PT-2), in arrays indexed by global port index, plus one idle pool per owner in
 * the hunt order of PT-4. Single-threaded: only the router stage (and, through {@code Cluster}, the status
 * changes it applies) writes it.
 *
 * <p>A port is in its owner's idle pool when it has no call, is enabled and registered, and can answer calls;
 * whether its server takes calls is not part of that, so Stop Taking Calls or a status change touches no pool.
 * The per-call methods ({@link #claimIdle}, {@link #claim}, {@link #answer}, {@link #release}) are O(1) or a
 * bounded bitset word scan and allocate nothing. The per-server methods ({@link #applyServerFlags},
 * {@link #dropCalls}) walk every port: they run on administrative or failover events, not per call.
 *
 * <p>Port state is derived, and stored with the time it last changed:
 * <pre>
 * call up, its server accepts new calls, port in service   RINGING or IN_CALL
 * call up, otherwise                                        DRAINING
 * no call, port disabled or unregistered                    OUT_OF_SERVICE
 * no call, owner accepts (shared: either server accepts)    IDLE
 * no call, the owner's peer absorbs its ports (PT-3)        IDLE
 * no call, otherwise                                        OUT_OF_SERVICE
 * </pre>
 */
public final class PortTable {

    private static final byte NO_CALL = 0;
    private static final byte PHASE_RINGING = 1;
    private static final byte PHASE_IN_CALL = 2;
    private static final byte NOBODY = -1;
    private static final int SHARED = PortOwner.SHARED.ordinal();
    private static final ServerName[] SERVERS = ServerName.values();

    private final PortPlan plan;
    private final int size;
    private final byte[] owner;
    private final boolean[] answersCalls;
    private final boolean[] enabled;
    private final boolean[] registered;
    private final byte[] state;
    private final byte[] phase;
    private final byte[] answeredBy;
    private final int[] generation;
    private final long[] sinceNs;
    private final int[] calls = new int[2];
    /** Of {@link #calls}, those still RINGING (claimed, not yet answered): calls being set up. */
    private final int[] ringing = new int[2];
    private final boolean[] accepting = new boolean[2];
    private final boolean[] absorbing = new boolean[2];
    private final IdlePool[] pools = new IdlePool[3];
    /** The ports whose state changed since {@link #clearChanges()}, each once (see {@link #changes()}). */
    private final int[] changed;
    private final boolean[] changedMark;
    private int changedCount;
    private HuntOrder huntOrder;

    /**
     * Every port starts without a call and OUT_OF_SERVICE: no server takes calls until the cluster says so
     * ({@link #applyServerFlags}). SCCP devices count as registered until {@link #setRegistered} says otherwise.
     */
    public PortTable(PortPlan plan, HuntOrder huntOrder) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.huntOrder = Objects.requireNonNull(huntOrder, "huntOrder");
        this.size = plan.size();
        this.owner = new byte[size];
        this.answersCalls = new boolean[size];
        this.enabled = new boolean[size];
        this.registered = new boolean[size];
        this.state = new byte[size];
        this.phase = new byte[size];
        this.answeredBy = new byte[size];
        this.generation = new int[size];
        this.sinceNs = new long[size];
        this.changed = new int[size];
        this.changedMark = new boolean[size];
        for (int p = 0; p < size; p++) {
            Port port = plan.port(p);
            owner[p] = (byte) port.owner().ordinal();
            answersCalls[p] = port.answersCalls();
            enabled[p] = port.enabled();
            registered[p] = true;
            answeredBy[p] = NOBODY;
            state[p] = (byte) PortState.OUT_OF_SERVICE.ordinal();
        }
        buildPools();
    }

    private void buildPools() {
        for (PortOwner o : PortOwner.values()) {
            pools[o.ordinal()] = IdlePool.create(huntOrder, plan.firstIndex(o), plan.count(o));
        }
        for (int p = 0; p < size; p++) {
            if (poolable(p)) {
                pools[owner[p]].add(p);
            }
        }
    }

    // ---------------------------------------------------------------- queries

    public PortPlan plan() {
        return plan;
    }

    /** P, the number of ports. */
    public int size() {
        return size;
    }

    public HuntOrder huntOrder() {
        return huntOrder;
    }

    public PortState state(int port) {
        return PortState.ofOrdinal(state[port]);
    }

    /**
     * Every port's state as {@link PortState} ordinals, copied (O(ports), allocates): for the port monitor after
     * a control event, which may change many ports at once, never per call.
     */
    public byte[] stateOrdinals() {
        return state.clone();
    }

    /**
     * The ports whose state changed since the last {@link #clearChanges()}, each once, as
     * {@code port << 8 | stateOrdinal} (the state it has now); allocates O(changed), not O(ports): for the port
     * monitor after an event that may change many ports (a status change, a dropped server), so that a heartbeat
     * that changes nothing costs nothing per port.
     */
    public int[] changes() {
        int[] out = new int[changedCount];
        for (int i = 0; i < changedCount; i++) {
            int p = changed[i];
            out[i] = p << 8 | state[p];
        }
        return out;
    }

    /** How many ports changed state since the last {@link #clearChanges()}. */
    public int changeCount() {
        return changedCount;
    }

    /** The {@code i}th port noted by {@link #changes()}, {@code 0 <= i < changeCount()}. */
    public int changedPort(int i) {
        return changed[i];
    }

    /** Forgets the changes noted so far: O(changed), allocation-free. */
    public void clearChanges() {
        for (int i = 0; i < changedCount; i++) {
            changedMark[changed[i]] = false;
        }
        changedCount = 0;
    }

    /** When the port entered its current state (the time of the event that changed it). */
    public long sinceNs(int port) {
        return sinceNs[port];
    }

    /** Whether a call is up on the port (ringing, in call or draining). */
    public boolean inCall(int port) {
        return phase[port] != NO_CALL;
    }

    /** The server whose call is on the port, or {@code null} when it has none. */
    public ServerName answeredBy(int port) {
        byte s = answeredBy[port];
        return s == NOBODY ? null : SERVERS[s];
    }

    /**
     * A number that changes each time a call is put on the port: the pipeline keeps it with the call so that a
     * late BYE for a call already dropped does not end the next call on the same port.
     */
    public int callGeneration(int port) {
        return generation[port];
    }

    public boolean enabled(int port) {
        return enabled[port];
    }

    public boolean registered(int port) {
        return registered[port];
    }

    /** Calls up (ringing, in call or draining) that the server answered, on any port. */
    public int callsInProgress(ServerName server) {
        return calls[server.ordinal()];
    }

    /** Of {@link #callsInProgress}, the calls still being set up: claimed (RINGING), not yet answered. O(1). */
    public int callsRinging(ServerName server) {
        return ringing[server.ordinal()];
    }

    /** Idle ports in the owner's pool (no call, enabled, registered, can answer), whoever takes calls. */
    public int idleCount(PortOwner owner) {
        return pools[owner.ordinal()].size();
    }

    /** Idle ports the server could answer a call on right now: 0 unless it accepts calls. */
    public int freeFor(ServerName server) {
        int s = server.ordinal();
        if (!accepting[s]) {
            return 0;
        }
        int n = pools[s].size() + pools[SHARED].size();
        return absorbing[s] ? n + pools[1 - s].size() : n;
    }

    /** Whether the server accepts new calls, as the cluster last said. */
    public boolean accepting(ServerName server) {
        return accepting[server.ordinal()];
    }

    /** Whether the server also uses its peer's ports (PT-3), as the cluster last said. */
    public boolean absorbing(ServerName server) {
        return absorbing[server.ordinal()];
    }

    /** Whether the port is idle and could answer a call (in its pool). */
    public boolean isFree(int port) {
        return pools[owner[port]].contains(port);
    }

    // ---------------------------------------------------------------- per call (router)

    /**
     * Puts a new call on the server's next idle port in hunt order (its own ports, then its peer's when it
     * absorbs them), RINGING. Returns the port, or -1 when there is none. Does not check that the server
     * accepts calls: the router does. O(1), allocation-free.
     */
    public int claimIdle(ServerName server, long nowNs) {
        int s = server.ordinal();
        int p = pools[s].poll();
        if (p < 0 && absorbing[s]) {
            p = pools[1 - s].poll();
        }
        if (p >= 0) {
            startCall(p, s, nowNs);
        }
        return p;
    }

    /** Puts a new call answered by the server on this port (SCCP device, PIMG port), RINGING; false if not free. */
    public boolean claim(int port, ServerName server, long nowNs) {
        if (port < 0 || port >= size || !pools[owner[port]].remove(port)) {
            return false;
        }
        startCall(port, server.ordinal(), nowNs);
        return true;
    }

    /** RINGING to IN_CALL (or DRAINING); false when the port was not ringing (a repeated ACK, say). */
    public boolean answer(int port, long nowNs) {
        if (port < 0 || port >= size || phase[port] != PHASE_RINGING) {
            return false;
        }
        phase[port] = PHASE_IN_CALL;
        ringing[answeredBy[port]]--;
        refresh(port, nowNs);
        return true;
    }

    /** Ends the call on the port and frees it. Returns the server whose call it was, or null when none was up. */
    public ServerName release(int port, long nowNs) {
        if (port < 0 || port >= size || phase[port] == NO_CALL) {
            return null;
        }
        int s = answeredBy[port];
        endCall(port, nowNs);
        return SERVERS[s];
    }

    private void startCall(int p, int s, long nowNs) {
        phase[p] = PHASE_RINGING;
        answeredBy[p] = (byte) s;
        generation[p]++;
        calls[s]++;
        ringing[s]++;
        refresh(p, nowNs);
    }

    private void endCall(int p, long nowNs) {
        calls[answeredBy[p]]--;
        if (phase[p] == PHASE_RINGING) {
            ringing[answeredBy[p]]--;
        }
        phase[p] = NO_CALL;
        answeredBy[p] = NOBODY;
        if (poolable(p)) {
            pools[owner[p]].add(p);
        }
        refresh(p, nowNs);
    }

    // ---------------------------------------------------------------- per server (cluster)

    /**
     * Tells the table which servers accept new calls (status answers calls and taking calls) and which absorb
     * their peer's ports (PT-3). Called by the cluster after every status or taking-calls change; re-derives the
     * state of every port whose inputs changed. O(P), no pool changes.
     */
    public void applyServerFlags(boolean publisherAccepts, boolean subscriberAccepts,
                                 boolean publisherAbsorbs, boolean subscriberAbsorbs, long nowNs) {
        if (accepting[0] == publisherAccepts && accepting[1] == subscriberAccepts
                && absorbing[0] == publisherAbsorbs && absorbing[1] == subscriberAbsorbs) {
            return;
        }
        accepting[0] = publisherAccepts;
        accepting[1] = subscriberAccepts;
        absorbing[0] = publisherAbsorbs;
        absorbing[1] = subscriberAbsorbs;
        for (int p = 0; p < size; p++) {
            refresh(p, nowNs);
        }
    }

    /**
     * Drops every call the server answered (deactivation with calls up, a server that dies: SPEC CA-5) and
     * returns their ports, in index order, so the caller can hang them up and close their records.
     * The other server's calls are not touched.
     */
    public int[] dropCalls(ServerName server, long nowNs) {
        int s = server.ordinal();
        int[] dropped = new int[calls[s]];
        int n = 0;
        for (int p = 0; p < size && n < dropped.length; p++) {
            if (phase[p] != NO_CALL && answeredBy[p] == s) {
                dropped[n++] = p;
                endCall(p, nowNs);
            }
        }
        return dropped;
    }

    // ---------------------------------------------------------------- per port (admin, SCCP registration)

    /** Takes a port in or out of service (PT-2). A call up on it continues, shown DRAINING when disabled. */
    public void setEnabled(int port, boolean enabled, long nowNs) {
        checkPort(port);
        this.enabled[port] = enabled;
        repool(port);
        refresh(port, nowNs);
    }

    /** Records an SCCP device's registration with the phone system (CA-3); unregistered devices take no calls. */
    public void setRegistered(int port, boolean registered, long nowNs) {
        checkPort(port);
        this.registered[port] = registered;
        repool(port);
        refresh(port, nowNs);
    }

    /** Changes the hunt order (PT-4); rebuilds the idle pools. */
    public void setHuntOrder(HuntOrder huntOrder) {
        if (Objects.requireNonNull(huntOrder, "huntOrder") != this.huntOrder) {
            this.huntOrder = huntOrder;
            buildPools();
        }
    }

    private void repool(int p) {
        if (phase[p] != NO_CALL) {
            return;
        }
        IdlePool pool = pools[owner[p]];
        if (poolable(p)) {
            pool.add(p);
        } else {
            pool.remove(p);
        }
    }

    private boolean poolable(int p) {
        return phase[p] == NO_CALL && enabled[p] && registered[p] && answersCalls[p];
    }

    private void refresh(int p, long nowNs) {
        byte s = (byte) derive(p).ordinal();
        if (state[p] != s) {
            state[p] = s;
            sinceNs[p] = nowNs;
            if (!changedMark[p]) {
                changedMark[p] = true;
                changed[changedCount++] = p;
            }
        }
    }

    private PortState derive(int p) {
        boolean inService = enabled[p] && registered[p];
        if (phase[p] != NO_CALL) {
            if (!accepting[answeredBy[p]] || !inService) {
                return PortState.DRAINING;
            }
            return phase[p] == PHASE_RINGING ? PortState.RINGING : PortState.IN_CALL;
        }
        if (!inService) {
            return PortState.OUT_OF_SERVICE;
        }
        int o = owner[p];
        if (o == SHARED) {
            return accepting[0] || accepting[1] ? PortState.IDLE : PortState.OUT_OF_SERVICE;
        }
        return accepting[o] || absorbing[1 - o] ? PortState.IDLE : PortState.OUT_OF_SERVICE;
    }

    private void checkPort(int port) {
        if (port < 0 || port >= size) {
            throw new IndexOutOfBoundsException("port " + port + " outside 0.." + (size - 1) + " of " + plan);
        }
    }

    @Override
    public String toString() {
        return "PortTable[" + plan + ", hunt=" + huntOrder.configName()
                + ", publisher: calls=" + calls[0] + " idle=" + pools[0].size() + " accepting=" + accepting[0]
                + ", subscriber: calls=" + calls[1] + " idle=" + pools[1].size() + " accepting=" + accepting[1]
                + ", shared idle=" + pools[SHARED].size() + "]";
    }
}
