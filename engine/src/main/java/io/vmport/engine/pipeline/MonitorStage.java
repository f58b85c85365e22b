package io.vmport.engine.pipeline;

import io.vmport.engine.ports.PortState;
import com.lmax.disruptor.EventHandler;
import io.vmport.config.ServerName;
import io.vmport.engine.routing.RoutingDecision;

import java.util.Arrays;

/**
 * Keeps the port monitor's own projection of every port and publishes it as an immutable
 * {@link MonitorSnapshot} (SPEC PM-1): at the end of a batch that changed a port, and at most once per
 * {@code minIntervalNs} of event time, so that neither 100,000 ports nor a busy ring make it costly. A later
 * batch or {@link EventType#TICK} publishes what the interval held back.
 *
 * <p>Working state is a set of per-port arrays, split into {@link PortPage pages}; a snapshot copies only the
 * pages that changed since the last one and shares the others. Queries read the volatile {@link #latest()} and
 * never touch the ring.
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
    private final int[] countByState = new int[PortState.values().length];
    private final int[] callsByServer = new int[ServerName.values().length];

    private final boolean[] pageDirty;
    private final int[] dirtyPages;
    private int dirtyCount;
    private long lastSequence = -1;
    private long lastNowNs;
    private long lastPublishNs;
    private boolean published;

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
        } finally {
            if (endOfBatch && dirtyCount > 0 && (!published || lastNowNs - lastPublishNs >= minIntervalNs)) {
                publish();
            }
        }
    }

    private void apply(PipelineEvent e) {
        switch (e.type) {
            case CALL_OFFERED -> {
                if (e.decision.kind() == RoutingDecision.Kind.ANSWER) {
                    int p = e.decision.portIndex();
                    move(p, stateAfter(e, RINGING), e.nowNs);
                    server[p] = e.server;
                    callId[p] = e.callId;
                    caller[p] = e.caller;
                    called[p] = e.called;
                    redirecting[p] = e.redirecting;
                    reason[p] = e.reason;
                    callsByServer[e.server.ordinal()]++;
                }
            }
            case CALL_ANSWERED -> move(e.port, stateAfter(e, IN_CALL), e.nowNs);
            case CALL_ENDED -> {
                int p = e.port;
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
            }
            case DEVICE_REGISTERED, DEVICE_UNREGISTERED -> {
                if (e.portState >= 0 && e.portState != state[e.port]) {
                    move(e.port, e.portState, e.nowNs);
                }
            }
            default -> {
                if (e.portStates != null) {
                    applyStates(e.portStates, e.nowNs);
                }
            }
        }
    }

    /** The state the router left the port in; the event type's usual one when the router did not say. */
    private static byte stateAfter(PipelineEvent e, byte usual) {
        return e.portState >= 0 ? e.portState : usual;
    }

    /** A control event changed the cluster: take every port's state that differs (DRAINING, OUT_OF_SERVICE). */
    private void applyStates(byte[] states, long nowNs) {
        for (int p = 0; p < portCount; p++) {
            if (states[p] != state[p]) {
                move(p, states[p], nowNs);
            }
        }
    }

    private void move(int port, byte to, long nowNs) {
        countByState[state[port]]--;
        countByState[to]++;
        state[port] = to;
        sinceNs[port] = nowNs;
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
        dirtyCount = 0;
        published = true;
        lastPublishNs = lastNowNs;
        latest = snapshot(pages);
    }

    private PortPage page(int page) {
        int from = page << PortPage.SHIFT;
        return new PortPage(from, Math.min(PortPage.SIZE, portCount - from), state, server, callId, caller, called,
                redirecting, reason, sinceNs);
    }

    private MonitorSnapshot snapshot(PortPage[] pages) {
        return new MonitorSnapshot(pages, portCount, lastSequence, lastNowNs, countByState.clone(),
                callsByServer.clone());
    }
}
