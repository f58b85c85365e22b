package io.vmport.engine.node;

import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.ports.PortState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The port-state deltas this node's heartbeats carry (SPEC ST-11): each port whose state in the port monitor
 * differs from what the current link has been told, at most {@code max} a heartbeat. A new link starts from "every
 * port IDLE" (the other node forgets what it heard when the link drops), so the first heartbeats on it carry every
 * port that is not IDLE. The other node's router uses them to refuse a PIMG shared port on which this server has
 * a call (PT-1 across a failover and back).
 *
 * <p>Works from the monitor's snapshot, not from call events, so calls dropped wholesale (deactivation, CA-5) are
 * reported too. One O(ports) comparison a heartbeat; a cursor that moves on makes sure no port waits forever
 * when more than {@code max} changed. Thread-safe: the link's threads call it.
 */
final class HeartbeatDeltas {
    private static final PortState[] STATES = PortState.values();
    private static final byte IDLE = (byte) PortState.IDLE.ordinal();

    /** What the current link has been told, per port; null until the first heartbeat on it. */
    private byte[] told;
    private int cursor;

    /** A new link: the other node knows nothing yet. */
    synchronized void linkUp() {
        told = null;
        cursor = 0;
    }

    /** The deltas for the next heartbeat from the port monitor's snapshot; they count as told. */
    List<PortDelta> next(MonitorSnapshot snapshot, int max) {
        return next(snapshot.portCount(), snapshot::state, max);
    }

    /** The deltas for the next heartbeat, {@code stateOf} giving each of {@code n} ports' state now. */
    synchronized List<PortDelta> next(int n, IntFunction<PortState> stateOf, int max) {
        if (told == null || told.length != n) {
            told = new byte[n];
            Arrays.fill(told, IDLE);
            cursor = 0;
        }
        List<PortDelta> out = null;
        for (int scanned = 0; scanned < n && (out == null || out.size() < max); scanned++) {
            int p = cursor;
            cursor = cursor + 1 == n ? 0 : cursor + 1;
            byte s = (byte) stateOf.apply(p).ordinal();
            if (s != told[p]) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(new PortDelta(p, STATES[s], 0));
                told[p] = s;
            }
        }
        return out == null ? List.of() : out;
    }
}
