package io.vmport.engine.pipeline;

import io.vmport.engine.ports.PortState;
import io.vmport.config.ServerName;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The port monitor's view of every port at one point of the event stream (SPEC PM-1). Immutable: the monitor
 * stage publishes a new one through a volatile reference, and queries read the latest without entering or
 * waiting for the ring, however often they poll.
 */
public final class MonitorSnapshot {
    private static final PortState[] STATES = PortState.values();

    private final PortPage[] pages;
    private final int portCount;
    private final long sequence;
    private final long asOfNs;
    private final int[] countByState;
    private final int[] callsByServer;

    MonitorSnapshot(PortPage[] pages, int portCount, long sequence, long asOfNs, int[] countByState,
                    int[] callsByServer) {
        this.pages = pages;
        this.portCount = portCount;
        this.sequence = sequence;
        this.asOfNs = asOfNs;
        this.countByState = countByState;
        this.callsByServer = callsByServer;
    }

    PortPage[] pages() {
        return pages;
    }

    public int portCount() {
        return portCount;
    }

    /** The ring sequence of the last event reflected here; -1 before any. */
    public long sequence() {
        return sequence;
    }

    /** The time of the last event reflected here. */
    public long asOfNs() {
        return asOfNs;
    }

    public PortState state(int portIndex) {
        checkIndex(portIndex);
        return STATES[pages[portIndex >>> PortPage.SHIFT].state[portIndex & PortPage.MASK]];
    }

    public PortSnapshot port(int portIndex) {
        checkIndex(portIndex);
        PortPage page = pages[portIndex >>> PortPage.SHIFT];
        int i = portIndex & PortPage.MASK;
        return new PortSnapshot(portIndex, STATES[page.state[i]], page.server[i], page.callId[i], page.caller[i],
                page.called[i], page.redirecting[i], page.reason[i], page.sinceNs[i], page.conversation[i],
                page.mailbox[i]);
    }

    /** Every port, in index order; each element is built when read. */
    public List<PortSnapshot> ports() {
        return new AbstractList<>() {
            @Override
            public PortSnapshot get(int index) {
                return port(index);
            }

            @Override
            public int size() {
                return portCount;
            }
        };
    }

    /**
     * Calls {@code changed} with the index of every port whose published state differs from {@code before}'s, in
     * index order. Only pages this snapshot does not share with {@code before} are compared (a snapshot copies
     * just the pages that changed), so the cost is the changed pages, not every port. Every port when the two
     * snapshots differ in size.
     */
    public void forEachChangedPort(MonitorSnapshot before, IntConsumer changed) {
        if (before.portCount != portCount) {
            for (int p = 0; p < portCount; p++) {
                changed.accept(p);
            }
            return;
        }
        for (int n = 0; n < pages.length; n++) {
            PortPage now = pages[n];
            PortPage then = before.pages[n];
            if (now == then) {
                continue;
            }
            for (int i = 0; i < now.state.length; i++) {
                if (now.state[i] != then.state[i] || now.sinceNs[i] != then.sinceNs[i]
                        || now.server[i] != then.server[i] || now.reason[i] != then.reason[i]
                        || !Objects.equals(now.callId[i], then.callId[i])
                        || !Objects.equals(now.caller[i], then.caller[i])
                        || !Objects.equals(now.called[i], then.called[i])
                        || !Objects.equals(now.redirecting[i], then.redirecting[i])
                        || !Objects.equals(now.conversation[i], then.conversation[i])
                        || !Objects.equals(now.mailbox[i], then.mailbox[i])) {
                    changed.accept((n << PortPage.SHIFT) + i);
                }
            }
        }
    }

    /** How many ports are in {@code state}. */
    public int count(PortState state) {
        return countByState[state.ordinal()];
    }

    /** Calls ringing or connected on ports handled by {@code server} (SPEC PM-2). */
    public int callsInProgress(ServerName server) {
        return callsByServer[server.ordinal()];
    }

    private void checkIndex(int portIndex) {
        if (portIndex < 0 || portIndex >= portCount) {
            throw new IndexOutOfBoundsException("port " + portIndex + ", ports 0.." + (portCount - 1));
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("MonitorSnapshot{sequence=").append(sequence).append(", asOfNs=")
                .append(asOfNs);
        for (PortState s : STATES) {
            b.append(", ").append(s).append('=').append(countByState[s.ordinal()]);
        }
        return b.append('}').toString();
    }
}
