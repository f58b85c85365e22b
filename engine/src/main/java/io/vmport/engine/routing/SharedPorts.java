package io.vmport.engine.routing;

import io.vmport.config.ServerName;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortState;

import java.util.Arrays;

/**
 * What a node knows about the PIMG/TIMG shared ports beyond its own calls (SPEC PT-1: a shared port is never in
 * two calls at once; PT-3). Each node's router sees only the calls on its own server, so two INVITEs for the same
 * gateway port racing to the two servers would both be answered if each server answered any port. Instead:
 *
 * <pre>
 *  gateway port k   home server       (odd N: the publisher has the extra port, as PT-1 gives it for split plans)
 *  1, 3, 5, ...     publisher
 *  2, 4, 6, ...     subscriber
 *
 *  call for port k lands on S            both servers accept calls         the other one does not
 *  S has a call up on k                  486 (the call stays where it is)   486
 *  S is not k's home                     302 to the home server             -
 *  the peer has a call up on k           486                                486
 *  otherwise                             S answers on k                     S answers on k
 * </pre>
 *
 * The peer's calls are known from its heartbeats ({@link #peerPortChanged}), a heartbeat late: after a failover
 * the survivor holds calls on the returning server's home ports, and those must not be answered twice when the
 * home server takes its share back (ST-9, PT-3); a server that took no calls still has draining ones (CA-4). A
 * server that is not the port's home redirects without looking at them: the home server decides with its own,
 * current, calls, so a port freed a moment ago is not refused on old news.
 *
 * <p>Why this and not a claim over the peer link: it costs no round trip per call and works while the link is
 * down, and the decision stays in each router's single thread; the price is one 302 for the calls that land on
 * the other server, which CA-1 allows.
 *
 * <p>What remains, each bounded by how fast the two views agree (a heartbeat interval, plus the link's timeout
 * when a server vanishes without closing it):
 * <ul>
 * <li>A server coming back: until the survivor has its first heartbeat saying so, the survivor answers every
 * port while the returning server already answers its home ports, so two calls for one port arriving in that
 * interval, one at each server, can both be answered. A gateway port offers one call at a time, so this takes
 * a glare.</li>
 * <li>A server that dies without closing the link: until the other sees it silent (ST-8), calls for the dead
 * server's ports are redirected to it and fail; the gateway's retry lands on the survivor, which then answers.</li>
 * <li>Split brain (ST-12): both servers think the other is gone and both answer every port; nothing but a shared
 * medium prevents that, and ST-12 accepts that both answer calls.</li>
 * </ul>
 *
 * <p>Single-threaded (the router stage) and allocation-free after construction.
 */
final class SharedPorts {
    private static final SharedPorts NONE = new SharedPorts(0);

    /** Whether the peer has a call up on the port, as its heartbeats said; cleared when the link is lost. */
    private final boolean[] peerHolds;
    private int peerHeld;

    private SharedPorts(int portCount) {
        this.peerHolds = new boolean[portCount];
    }

    /** The shared-port book for {@code plan}: one mark per port for PIMG, none for the other integrations. */
    static SharedPorts of(PortPlan plan) {
        return plan.isShared() ? new SharedPorts(plan.size()) : NONE;
    }

    /** The server that answers shared port {@code portIndex} (gateway port index + 1) while both take calls. */
    static ServerName homeOf(int portIndex) {
        return (portIndex & 1) == 0 ? ServerName.PUBLISHER : ServerName.SUBSCRIBER; // gateway port 1 is index 0
    }

    boolean peerHolds(int portIndex) {
        return peerHolds[portIndex];
    }

    /** How many shared ports the peer has a call on, as far as this node knows. */
    int peerHeld() {
        return peerHeld;
    }

    /**
     * A port-state delta from the peer's heartbeat: RINGING, IN_CALL and DRAINING mean the peer has a call up on
     * the port, anything else that it has none. Ignored for ports outside the plan and for non-shared plans.
     */
    void peerPortChanged(int portIndex, PortState state) {
        if (portIndex < 0 || portIndex >= peerHolds.length) {
            return;
        }
        boolean holds = state == PortState.RINGING || state == PortState.IN_CALL || state == PortState.DRAINING;
        if (peerHolds[portIndex] != holds) {
            peerHolds[portIndex] = holds;
            peerHeld += holds ? 1 : -1;
        }
    }

    /**
     * The link to the peer is lost: what its heartbeats said no longer holds (if it died, its calls are lost,
     * CA-5; if it lives, it reports its calls again when the link is back). O(ports) when marks are set.
     */
    void peerLost() {
        if (peerHeld == 0) {
            return;
        }
        Arrays.fill(peerHolds, false);
        peerHeld = 0;
    }
}
