package io.vmport.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.ports.PortState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The path by which the other server's node learns of this server's calls (ST-11, PM-1); no pipeline stage sends
 * anything to the peer. Every heartbeat interval the peer link's thread asks for the deltas of the latest
 * {@link MonitorSnapshot}; they travel in the heartbeat ({@link HeartbeatContent#deltas()}), and on the other node
 * the monitor stage shows them on this server's ports and its router keeps off a PIMG shared port on which this
 * server has a call. A call is thus seen by the peer within a monitor interval plus a heartbeat interval.
 *
 * <p>It turns this node's port monitor into those deltas: each call of this server that started, changed state or
 * ended since the last heartbeat, once. It compares the latest
 * {@link MonitorSnapshot} with what it sent before, page by page: a page the monitor did not copy since is the
 * same object and is skipped, so a quiet heartbeat costs one reference comparison per 256 ports.
 *
 * <p>After {@link #restart()} (the link came up) it sends every call again, the first heartbeat marked as a
 * snapshot. A heartbeat carries at most {@code maxDeltaBytes}; a page that did not fit is compared again next time.
 * Only the calls this server handles are sent; the peer's calls shown in the monitor are not echoed back. Not
 * thread-safe: one thread (the peer link's) calls it.
 */
public final class OwnCallDeltas {
    private static final byte NONE = -1;
    private static final PortState[] STATES = PortState.values();

    private final ServerName self;
    private final int portCount;
    private final byte[] sentState;
    private final String[] sentCallId;
    private final long[] sentSinceNs;
    private PortPage[] seen;
    private boolean snapshotDue = true;

    public OwnCallDeltas(ServerName self, int portCount) {
        if (portCount < 0) {
            throw new IllegalArgumentException("portCount must be >= 0, not " + portCount);
        }
        this.self = java.util.Objects.requireNonNull(self, "self");
        this.portCount = portCount;
        sentState = new byte[portCount];
        Arrays.fill(sentState, NONE);
        sentCallId = new String[portCount];
        sentSinceNs = new long[portCount];
    }

    /** The peer forgot everything (a new connection): the next heartbeat starts a full snapshot. */
    public void restart() {
        Arrays.fill(sentState, NONE);
        Arrays.fill(sentCallId, null);
        Arrays.fill(sentSinceNs, 0);
        seen = null;
        snapshotDue = true;
    }

    /** What the next heartbeat carries. */
    public record Batch(boolean snapshot, List<PortDelta> deltas) {
    }

    /**
     * The changes since the last call, at most {@code maxDeltaBytes} on the wire and
     * {@link HeartbeatContent#MAX_DELTAS} deltas.
     *
     * @param nowNs the pipeline clock now, for the deltas' age
     */
    public Batch next(MonitorSnapshot snapshot, long nowNs, int maxDeltaBytes) {
        if (snapshot.portCount() != portCount) {
            throw new IllegalArgumentException("the monitor has " + snapshot.portCount() + " ports, this tracker "
                    + portCount);
        }
        boolean markSnapshot = snapshotDue;
        snapshotDue = false;
        PortPage[] pages = snapshot.pages();
        if (seen == null) {
            seen = new PortPage[pages.length];
        }
        List<PortDelta> out = new ArrayList<>();
        int bytes = 0;
        pages:
        for (int pg = 0; pg < pages.length; pg++) {
            PortPage page = pages[pg];
            if (page == seen[pg]) {
                continue;
            }
            int from = pg << PortPage.SHIFT;
            int length = page.state.length;
            for (int i = 0; i < length; i++) {
                int p = from + i;
                boolean mine = page.server[i] == self;
                byte state = mine ? page.state[i] : NONE;
                String callId = mine ? page.callId[i] : null;
                long sinceNs = mine ? page.sinceNs[i] : 0;
                if (state == sentState[p] && sinceNs == sentSinceNs[p] && java.util.Objects.equals(callId,
                        sentCallId[p])) {
                    continue;
                }
                PortDelta d = mine
                        ? new PortDelta(p, STATES[state], callId, page.caller[i], page.called[i],
                        page.redirecting[i], page.reason[i], Math.max(0, (nowNs - sinceNs) / 1_000_000L))
                        : PortDelta.ended(p);
                int size = d.wireBytes();
                if (bytes + size > maxDeltaBytes || out.size() == HeartbeatContent.MAX_DELTAS) {
                    break pages; // this page is compared again next time; what was sent is not repeated
                }
                out.add(d);
                bytes += size;
                sentState[p] = state;
                sentCallId[p] = callId;
                sentSinceNs[p] = sinceNs;
            }
            seen[pg] = page;
        }
        return new Batch(markSnapshot, out);
    }
}
