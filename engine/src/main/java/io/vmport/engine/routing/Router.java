// STAND-IN: replaced by the domain branch
package io.vmport.engine.routing;

import io.vmport.config.ServerName;

/**
 * Stand-in router so the pipeline builds and benchmarks before the domain branch lands: N ports per server,
 * publisher ports {@code [0, N)}, subscriber ports {@code [N, 2N)}; each server keeps its idle ports in an
 * intrusive doubly linked free list (longest idle first), so picking, taking a named port and freeing are
 * O(1) and allocate nothing. Both servers always take calls. Single-threaded.
 */
public final class Router {
    private static final byte IDLE = 0;
    private static final byte RINGING = 1;
    private static final byte IN_CALL = 2;
    private static final int NONE = -1;

    private final int portsPerServer;
    private final byte[] state;
    private final int[] next;
    private final int[] prev;
    private final int[] head = {NONE, NONE};
    private final int[] tail = {NONE, NONE};

    public Router(int portsPerServer) {
        if (portsPerServer < 1) {
            throw new IllegalArgumentException("portsPerServer must be at least 1, was " + portsPerServer);
        }
        this.portsPerServer = portsPerServer;
        int total = 2 * portsPerServer;
        state = new byte[total];
        next = new int[total];
        prev = new int[total];
        for (int p = 0; p < total; p++) {
            append(p);
        }
    }

    /** Ports of both servers together: valid port indexes are {@code 0 .. portCount() - 1}. */
    public int portCount() {
        return state.length;
    }

    public void offer(ServerName landedOn, int portHint, long nowNs, RoutingDecision out) {
        if (portHint >= 0) {
            if (portHint >= state.length) {
                out.refuse(RefuseCause.UNKNOWN_PORT);
            } else if (state[portHint] != IDLE) {
                out.refuse(RefuseCause.PORT_BUSY);
            } else {
                take(portHint, out);
            }
            return;
        }
        int s = landedOn.ordinal();
        if (head[s] != NONE) {
            take(head[s], out);
        } else if (head[1 - s] != NONE) {
            out.redirect(landedOn.other());
        } else {
            out.refuse(RefuseCause.NO_PORT_FREE);
        }
    }

    public void answered(int portIndex, long nowNs) {
        if (state[portIndex] != RINGING) {
            throw new IllegalStateException("port " + portIndex + " answered while in state " + state[portIndex]);
        }
        state[portIndex] = IN_CALL;
    }

    public void ended(int portIndex, long nowNs) {
        if (state[portIndex] == IDLE) {
            throw new IllegalStateException("port " + portIndex + " ended while idle");
        }
        state[portIndex] = IDLE;
        append(portIndex);
    }

    private void take(int p, RoutingDecision out) {
        int s = p / portsPerServer;
        if (prev[p] == NONE) {
            head[s] = next[p];
        } else {
            next[prev[p]] = next[p];
        }
        if (next[p] == NONE) {
            tail[s] = prev[p];
        } else {
            prev[next[p]] = prev[p];
        }
        state[p] = RINGING;
        out.answer(p);
    }

    private void append(int p) {
        int s = p / portsPerServer;
        next[p] = NONE;
        prev[p] = tail[s];
        if (tail[s] == NONE) {
            head[s] = p;
        } else {
            next[tail[s]] = p;
        }
        tail[s] = p;
    }
}
