package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.PeerHeartbeat;
import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.ports.PortState;
import com.lmax.disruptor.EventHandler;
import io.vmport.config.ServerName;
import io.vmport.engine.routing.RoutingDecision;

import java.util.Arrays;

/**
 * Keeps the port monitor's own projection of every port and publishes it as an immutable
 * {@link MonitorSnapshot} (SPEC PM-1): at the end of a batch that changed a port, and at most once per
 * {@code minIntervalNs} of event time, so that neither 100,000 ports nor a busy ring make it costly. A later
 * batch or {@link EventType#TICK} publishes what the interval held back. An administrative action is published at
 * once, since it is answered only once queries show it (the release stage answers, after this stage).
 *
 * <p>Working state is a set of per-port arrays, split into {@link PortPage pages}; a snapshot copies only the
 * pages that changed since the last one and shares the others. Queries read the volatile {@link #latest()} and
 * never touch the ring.
 *
 * <p><b>The other server's calls (ST-11, PM-1).</b> The router of this node only knows its own calls. The peer's
 * heartbeats carry the calls on its ports ({@link PortDelta}); this stage keeps them beside its own arrays and
 * shows them on every port where this node has no call of its own (its own call wins on a shared port). A heartbeat
 * marked {@link HeartbeatContent#portSnapshot()} replaces all of them; a lost peer clears them (its calls are gone
 * with it). The counts of the snapshot include them.
 */
final class MonitorStage implements EventHandler<PipelineEvent> {
    private static final byte IDLE = (byte) PortState.IDLE.ordinal();
    private static final byte RINGING = (byte) PortState.RINGING.ordinal();
    private static final byte IN_CALL = (byte) PortState.IN_CALL.ordinal();

    private final int portCount;
    private final long minIntervalNs;
    private final byte[] state;
    private final ServerName[] server;
    private final String[] callId;
    private final String[] caller;
    private final String[] called;
    private final String[] redirecting;
    private final CallReason[] reason;
    private final long[] sinceNs;
    /** The own call's conversation state and mailbox (MD-6), null until it says; the peer's calls show none. */
    private final String[] conversation;
    private final String[] mailbox;
    private final int[] countByState = new int[PortState.values().length];
    private final int[] callsByServer = new int[ServerName.values().length];

    // the peer's calls, as its heartbeats said (NO_REMOTE: none on that port)
    private static final byte NO_REMOTE = -1;
    private final byte[] remoteState;
    private final String[] remoteCallId;
    private final String[] remoteCaller;
    private final String[] remoteCalled;
    private final String[] remoteRedirecting;
    private final CallReason[] remoteReason;
    private final long[] remoteSinceNs;
    private ServerName remoteServer;
    private int remoteCount;
    /** What showing the peer's calls adds to the counts (a shown port counts its remote state, not its own). */
    private final int[] shownByState = new int[PortState.values().length];
    private final int[] shownCallsByServer = new int[ServerName.values().length];

    private final boolean[] pageDirty;
    private final int[] dirtyPages;
    private int dirtyCount;
    private long lastSequence = -1;
    private long lastNowNs;
    private long lastPublishNs;
    private boolean published;
    /** Pages copied into snapshots since the start (what publishing costs; tests read it). */
    private long pagesCopied;

    private volatile MonitorSnapshot latest;

    /**
     * @param initialStates every port's state when the pipeline is built ({@link PortState} ordinals), or null for
     *                      all IDLE (the baseline pipeline)
     */
    MonitorStage(int portCount, long minIntervalNs, long startNs, byte[] initialStates) {
        this.portCount = portCount;
        this.minIntervalNs = minIntervalNs;
        state = new byte[portCount];
        server = new ServerName[portCount];
        callId = new String[portCount];
        caller = new String[portCount];
        called = new String[portCount];
        redirecting = new String[portCount];
        reason = new CallReason[portCount];
        sinceNs = new long[portCount];
        Arrays.fill(sinceNs, startNs);
        conversation = new String[portCount];
        mailbox = new String[portCount];
        remoteState = new byte[portCount];
        Arrays.fill(remoteState, NO_REMOTE);
        remoteCallId = new String[portCount];
        remoteCaller = new String[portCount];
        remoteCalled = new String[portCount];
        remoteRedirecting = new String[portCount];
        remoteReason = new CallReason[portCount];
        remoteSinceNs = new long[portCount];
        countByState[IDLE] = portCount;
        lastNowNs = startNs;
        if (initialStates != null) {
            for (int p = 0; p < portCount; p++) {
                countByState[state[p]]--;
                state[p] = initialStates[p];
                countByState[state[p]]++;
            }
        }

        int pageCount = (portCount + PortPage.SIZE - 1) >>> PortPage.SHIFT;
        pageDirty = new boolean[pageCount];
        dirtyPages = new int[pageCount];
        PortPage[] pages = new PortPage[pageCount];
        for (int i = 0; i < pageCount; i++) {
            pages[i] = page(i);
        }
        latest = snapshot(pages);
    }

    /** Pages copied into published snapshots so far, not counting the first snapshot's. Stage thread only. */
    long pagesCopied() {
        return pagesCopied;
    }

    /** The latest published snapshot; never null, never waits. */
    MonitorSnapshot latest() {
        return latest;
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        try {
            lastSequence = sequence;
            lastNowNs = event.nowNs;
            if (event.routed) {
                apply(event);
            }
            if (event.portChanges != null) {
                applyChanges(event.portChanges, event.nowNs);
            }
        } finally {
            if (dirtyCount > 0 && (answersAdministrator(event)
                    || endOfBatch && (!published || lastNowNs - lastPublishNs >= minIntervalNs))) {
                publish();
            }
        }
    }

    /**
     * An action is answered once the snapshot shows it (the release stage answers, after this stage): publish at
     * once, not at the end of the batch nor after the interval. Actions are rare; this costs one snapshot each.
     */
    private static boolean answersAdministrator(PipelineEvent e) {
        return e.type == EventType.ADMIN_ACTION || e.type == EventType.PEER_ANSWER;
    }

    private void apply(PipelineEvent e) {
        switch (e.type) {
            case CALL_OFFERED -> {
                if (e.decision.kind() == RoutingDecision.Kind.ANSWER) {
                    int p = e.decision.portIndex();
                    unshow(p);
                    move(p, stateAfter(e, RINGING), e.nowNs);
                    server[p] = e.server;
                    callId[p] = e.callId;
                    caller[p] = e.caller;
                    called[p] = e.called;
                    redirecting[p] = e.redirecting;
                    reason[p] = e.reason;
                    conversation[p] = null;
                    mailbox[p] = null;
                    callsByServer[e.server.ordinal()]++;
                    show(p);
                }
            }
            case CALL_ANSWERED -> {
                unshow(e.port);
                move(e.port, stateAfter(e, IN_CALL), e.nowNs);
                show(e.port);
            }
            case CALL_ENDED -> {
                int p = e.port;
                unshow(p);
                if (server[p] != null) {
                    callsByServer[server[p].ordinal()]--;
                }
                move(p, stateAfter(e, IDLE), e.nowNs);
                server[p] = null;
                callId[p] = null;
                caller[p] = null;
                called[p] = null;
                redirecting[p] = null;
                reason[p] = null;
                conversation[p] = null;
                mailbox[p] = null;
                show(p);
            }
            case CONVERSATION_CHANGED -> {
                ConversationChange c = (ConversationChange) e.payload;
                conversation[e.port] = c.conversation();
                mailbox[e.port] = c.mailbox();
                dirty(e.port);
            }
            case DEVICE_REGISTERED, DEVICE_UNREGISTERED -> {
                if (e.portState >= 0 && e.portState != state[e.port]) {
                    unshow(e.port);
                    move(e.port, e.portState, e.nowNs);
                    show(e.port);
                }
            }
            default -> {
                if (e.type == EventType.PEER_HEARTBEAT && e.payload instanceof PeerHeartbeat hb) {
                    applyPeer(hb.sender(), hb.content(), e.nowNs);
                } else if (e.type == EventType.PEER_LOST) {
                    clearRemote();
                }
            }
        }
    }

    /** The peer's calls from one heartbeat: a snapshot replaces what it said before, deltas change it. */
    private void applyPeer(ServerName sender, HeartbeatContent c, long nowNs) {
        if (sender != remoteServer) {
            clearRemote();
            remoteServer = sender;
        }
        if (c.portSnapshot()) {
            clearRemote();
        }
        for (PortDelta d : c.deltas()) {
            int p = d.port();
            if (p >= portCount) {
                continue; // the peer's port plan is larger: a configuration mismatch the cluster reports
            }
            unshow(p);
            boolean had = remoteState[p] != NO_REMOTE;
            if (d.hasCall()) {
                remoteState[p] = (byte) d.state().ordinal();
                remoteCallId[p] = d.callId();
                remoteCaller[p] = d.caller();
                remoteCalled[p] = d.called();
                remoteRedirecting[p] = d.redirecting();
                remoteReason[p] = d.reason();
                remoteSinceNs[p] = nowNs - d.ageMs() * 1_000_000L;
                if (!had) {
                    remoteCount++;
                }
            } else if (had) {
                forgetRemote(p);
            }
            show(p);
            dirty(p);
        }
    }

    /** Forgets every call of the peer (a lost peer, or a new snapshot). */
    private void clearRemote() {
        if (remoteCount == 0) {
            return;
        }
        for (int p = 0; p < portCount && remoteCount > 0; p++) {
            if (remoteState[p] != NO_REMOTE) {
                unshow(p);
                forgetRemote(p);
                dirty(p);
            }
        }
    }

    private void forgetRemote(int p) {
        remoteState[p] = NO_REMOTE;
        remoteCallId[p] = null;
        remoteCaller[p] = null;
        remoteCalled[p] = null;
        remoteRedirecting[p] = null;
        remoteReason[p] = null;
        remoteCount--;
    }

    /** Whether port {@code p} shows the peer's call instead of its own state. */
    private boolean shown(int p) {
        return remoteState[p] != NO_REMOTE && server[p] == null;
    }

    /** Takes port {@code p}'s share out of the shown counts, before it changes. No-op without peer calls. */
    private void unshow(int p) {
        if (remoteCount > 0 && shown(p)) {
            shownByState[state[p]]++;
            shownByState[remoteState[p]]--;
            shownCallsByServer[remoteServer.ordinal()]--;
        }
    }

    /** Puts port {@code p}'s share back, after it changed. */
    private void show(int p) {
        if (remoteCount > 0 && shown(p)) {
            shownByState[state[p]]--;
            shownByState[remoteState[p]]++;
            shownCallsByServer[remoteServer.ordinal()]++;
        }
    }

    /** The state the router left the port in; the event type's usual one when the router did not say. */
    private static byte stateAfter(PipelineEvent e, byte usual) {
        return e.portState >= 0 ? e.portState : usual;
    }

    /**
     * The ports an event changed besides its own (DRAINING, OUT_OF_SERVICE after a status change), as
     * {@code port << 8 | stateOrdinal}: O(changed).
     */
    private void applyChanges(int[] changes, long nowNs) {
        for (int c : changes) {
            int p = c >>> 8;
            byte s = (byte) (c & 0xFF);
            if (s != state[p]) {
                unshow(p);
                move(p, s, nowNs);
                show(p);
            }
        }
    }

    private void move(int port, byte to, long nowNs) {
        countByState[state[port]]--;
        countByState[to]++;
        state[port] = to;
        sinceNs[port] = nowNs;
        dirty(port);
    }

    private void dirty(int port) {
        int page = port >>> PortPage.SHIFT;
        if (!pageDirty[page]) {
            pageDirty[page] = true;
            dirtyPages[dirtyCount++] = page;
        }
    }

    private void publish() {
        PortPage[] pages = latest.pages().clone();
        for (int i = 0; i < dirtyCount; i++) {
            int page = dirtyPages[i];
            pages[page] = page(page);
            pageDirty[page] = false;
        }
        pagesCopied += dirtyCount;
        dirtyCount = 0;
        published = true;
        lastPublishNs = lastNowNs;
        latest = snapshot(pages);
    }

    private PortPage page(int page) {
        int from = page << PortPage.SHIFT;
        int length = Math.min(PortPage.SIZE, portCount - from);
        PortPage copy = new PortPage(from, length, state, server, callId, caller, called, redirecting, reason,
                sinceNs, conversation, mailbox);
        if (remoteCount > 0) {
            for (int i = 0; i < length; i++) {
                int p = from + i;
                if (shown(p)) {
                    copy.state[i] = remoteState[p];
                    copy.server[i] = remoteServer;
                    copy.callId[i] = remoteCallId[p];
                    copy.caller[i] = remoteCaller[p];
                    copy.called[i] = remoteCalled[p];
                    copy.redirecting[i] = remoteRedirecting[p];
                    copy.reason[i] = remoteReason[p];
                    copy.sinceNs[i] = remoteSinceNs[p];
                    copy.conversation[i] = null;
                    copy.mailbox[i] = null;
                }
            }
        }
        return copy;
    }

    private MonitorSnapshot snapshot(PortPage[] pages) {
        int[] counts = countByState.clone();
        int[] calls = callsByServer.clone();
        for (int i = 0; i < counts.length; i++) {
            counts[i] += shownByState[i];
        }
        for (int i = 0; i < calls.length; i++) {
            calls[i] += shownCallsByServer[i];
        }
        return new MonitorSnapshot(pages, portCount, lastSequence, lastNowNs, counts, calls);
    }
}
