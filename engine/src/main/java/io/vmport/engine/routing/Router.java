package io.vmport.engine.routing;

import io.vmport.config.ServerName;
import io.vmport.config.SipConfig;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortState;
import io.vmport.engine.ports.PortTable;

import java.util.Objects;

/**
 * Decides where each offered call goes and keeps the ports' call state (SPEC CA-1..CA-4, PT-3). Single-threaded:
 * only the pipeline's router stage calls it, so it needs no lock. {@link #offer}, {@link #answered} and
 * {@link #ended} allocate nothing and find an idle port in O(1) whatever the port count.
 *
 * <p>Per integration:
 * <ul>
 * <li>SIP trunk, other SIP ({@code portHint} -1): the server the call landed on answers on its next idle port in
 * hunt order (and on its failed peer's when it absorbs them, PT-3). When it does not take calls: REFUSE
 * NOT_TAKING_CALLS (503, the PBX tries the other server). When it has no idle port and more than
 * {@code redirectMaxRingingPercent} of its calls are still RINGING (claimed, not yet answered), its ports hold a
 * queue of offers, not calls: REFUSE OVERLOADED (503 with Retry-After, BI-1), so that an overload is shed where
 * it lands instead of passed on. Otherwise, when it has no idle port and the other server takes calls and has
 * one: REDIRECT there (302). Otherwise REFUSE NO_PORT_FREE (486).</li>
 * <li>PIMG/TIMG ({@code portHint} = gateway port 1..N): unknown port: UNKNOWN_PORT; server not taking calls:
 * NOT_TAKING_CALLS; a call of its own up on the port: PORT_BUSY. Otherwise, while both servers accept calls, the
 * port's home server answers it (odd gateway ports the publisher, even the subscriber) and the other one redirects
 * there (302); when the other server does not accept calls, the server the call landed on answers any port. A
 * server about to answer refuses PORT_BUSY a port on which the peer still has a call, as the peer's heartbeats
 * report it ({@link #peerPortChanged}): a call it took while this server took none. This keeps
 * a shared port out of two calls across the cluster with no round trip per call (see {@code SharedPorts}).</li>
 * <li>SCCP ({@code portHint} = the device's global port index): the rung device answers; it must belong to the
 * server the call landed on (NOT_ALLOWED), that server must take calls (NOT_TAKING_CALLS: the device would be
 * unregistered, CA-3), and the device must be idle (PORT_BUSY).</li>
 * </ul>
 */
public final class Router {

    private final Cluster cluster;
    private final PortPlan plan;
    private final PortTable ports;
    private final AlarmSink alarms;
    private final SharedPorts shared;
    private final int redirectMaxRingingPercent;

    /**
     * @param cluster the cluster view; it must drive {@code ports}
     * @param plan    the port plan; it must be the one {@code ports} was built from
     * @param ports   the live port table
     * @param alarms  where alarms go; the cluster raises them (ServerDrained included)
     * @param redirectMaxRingingPercent SIP: a server with no idle port redirects (or refuses busy) only while at
     *                  most this percentage of its calls are RINGING; past it it refuses OVERLOADED. 0..100
     *                  ({@code sip.redirectMaxRingingPercent})
     */
    public Router(Cluster cluster, PortPlan plan, PortTable ports, AlarmSink alarms, int redirectMaxRingingPercent) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.alarms = Objects.requireNonNull(alarms, "alarms");
        if (cluster.ports() != ports) {
            throw new IllegalArgumentException("the cluster drives another port table (" + cluster.ports()
                    + ") than the one given (" + ports + ")");
        }
        if (ports.plan() != plan) {
            throw new IllegalArgumentException("the port table was built from " + ports.plan() + ", not from " + plan);
        }
        if (redirectMaxRingingPercent < 0 || redirectMaxRingingPercent > 100) {
            throw new IllegalArgumentException("redirectMaxRingingPercent=" + redirectMaxRingingPercent
                    + ": must be 0..100 (percent of a server's calls in progress)");
        }
        this.shared = SharedPorts.of(plan);
        this.redirectMaxRingingPercent = redirectMaxRingingPercent;
    }

    /** With the default redirect threshold ({@link SipConfig#DEFAULT_REDIRECT_MAX_RINGING_PERCENT}). */
    public Router(Cluster cluster, PortPlan plan, PortTable ports, AlarmSink alarms) {
        this(cluster, plan, ports, alarms, SipConfig.DEFAULT_REDIRECT_MAX_RINGING_PERCENT);
    }

    /** A router over the cluster's own port table. */
    public Router(Cluster cluster) {
        this(cluster, cluster.ports().plan(), cluster.ports(), AlarmSink.NONE);
    }

    /**
     * A call offered on server {@code landedOn}; writes the decision into {@code out}. On ANSWER the port is
     * RINGING until {@link #answered} or {@link #ended}.
     *
     * @param portHint -1 for SIP trunk and other SIP (ignored there); the gateway port number 1..N for PIMG;
     *                 the device's global port index for SCCP
     */
    public void offer(ServerName landedOn, int portHint, long nowNs, RoutingDecision out) {
        switch (plan.integration()) {
            case SIP_TRUNK:
            case OTHER_SIP:
                offerSip(landedOn, nowNs, out);
                break;
            case PIMG:
                offerGatewayPort(landedOn, plan.indexOfGatewayPort(portHint), nowNs, out);
                break;
            case SCCP:
                offerSccp(landedOn, portHint, nowNs, out);
                break;
            default:
                out.refuse(RefuseCause.NOT_ALLOWED);
        }
    }

    private void offerSip(ServerName landedOn, long nowNs, RoutingDecision out) {
        if (!cluster.acceptsCalls(landedOn)) {
            out.refuse(RefuseCause.NOT_TAKING_CALLS);
            return;
        }
        int port = ports.claimIdle(landedOn, nowNs);
        if (port >= 0) {
            out.answer(port);
            return;
        }
        if (settingUp(landedOn)) {
            out.refuse(RefuseCause.OVERLOADED); // a queue, not a full server: shed here (BI-1), not passed on
            return;
        }
        ServerName other = landedOn.other();
        if (cluster.acceptsCalls(other) && ports.freeFor(other) > 0) {
            out.redirect(other);
        } else {
            out.refuse(RefuseCause.NO_PORT_FREE);
        }
    }

    /** Whether more than the threshold of the server's calls are RINGING: claimed, not yet answered. O(1). */
    private boolean settingUp(ServerName server) {
        return 100L * ports.callsRinging(server) > (long) redirectMaxRingingPercent * ports.callsInProgress(server);
    }

    private void offerSccp(ServerName landedOn, int port, long nowNs, RoutingDecision out) {
        if (port < 0 || port >= plan.size()) {
            out.refuse(RefuseCause.UNKNOWN_PORT);
            return;
        }
        if (plan.owner(port).server() != landedOn) {
            out.refuse(RefuseCause.NOT_ALLOWED);
            return;
        }
        offerNamedPort(landedOn, port, nowNs, out);
    }

    private void offerGatewayPort(ServerName landedOn, int port, long nowNs, RoutingDecision out) {
        if (port < 0) {
            out.refuse(RefuseCause.UNKNOWN_PORT);
            return;
        }
        if (!cluster.acceptsCalls(landedOn)) {
            out.refuse(RefuseCause.NOT_TAKING_CALLS);
            return;
        }
        if (ports.inCall(port)) {
            out.refuse(RefuseCause.PORT_BUSY); // a call up stays where it is, whichever server is the port's home
            return;
        }
        ServerName home = SharedPorts.homeOf(port);
        if (home != landedOn && cluster.acceptsCalls(home)) {
            out.redirect(home); // the home server decides, with its own calls at hand, not a heartbeat old news
            return;
        }
        if (shared.peerHolds(port)) {
            out.refuse(RefuseCause.PORT_BUSY); // held by the peer: a call it took while this server took none
            return;
        }
        offerNamedPort(landedOn, port, nowNs, out);
    }

    private void offerNamedPort(ServerName landedOn, int port, long nowNs, RoutingDecision out) {
        if (port < 0 || port >= plan.size()) {
            out.refuse(RefuseCause.UNKNOWN_PORT);
            return;
        }
        if (!cluster.acceptsCalls(landedOn)) {
            out.refuse(RefuseCause.NOT_TAKING_CALLS);
            return;
        }
        if (ports.claim(port, landedOn, nowNs)) {
            out.answer(port);
            return;
        }
        if (ports.inCall(port)) {
            out.refuse(RefuseCause.PORT_BUSY);
        } else if (!ports.registered(port)) {
            out.refuse(RefuseCause.NOT_TAKING_CALLS);
        } else {
            out.refuse(RefuseCause.NOT_ALLOWED); // disabled, or cannot answer calls
        }
    }

    /** ACK / off hook: RINGING becomes IN_CALL (DRAINING when its server stopped taking calls meanwhile). */
    public void answered(int portIndex, long nowNs) {
        ports.answer(portIndex, nowNs);
    }

    /** BYE / CANCEL / on hook: ends the call and frees the port; may raise ServerDrained (CA-4). */
    public void ended(int portIndex, long nowNs) {
        ServerName server = ports.release(portIndex, nowNs);
        if (server != null) {
            cluster.callEnded(server, nowNs);
        }
    }

    /**
     * PIMG/TIMG: the server that answers shared port {@code portIndex} while both servers accept calls (odd
     * gateway ports the publisher, even ones the subscriber); null for the other integrations.
     */
    public ServerName homeOf(int portIndex) {
        return plan.isShared() && portIndex >= 0 && portIndex < plan.size() ? SharedPorts.homeOf(portIndex) : null;
    }

    /**
     * A port-state delta from the peer's heartbeat (ST-11). For PIMG/TIMG, a shared port on which the peer has a
     * call up (RINGING, IN_CALL, DRAINING) is refused busy here until the peer reports it free; ignored otherwise.
     * Allocation-free.
     */
    public void peerPortChanged(int portIndex, PortState state) {
        shared.peerPortChanged(portIndex, state);
    }

    /** Whether the peer has a call up on shared port {@code portIndex}, as its heartbeats last said. */
    public boolean peerHolds(int portIndex) {
        return portIndex >= 0 && portIndex < plan.size() && plan.isShared() && shared.peerHolds(portIndex);
    }

    /** The link to the peer is lost: forget the peer's port states (it reports them again when it is back). */
    public void peerLost() {
        shared.peerLost();
    }

    public Cluster cluster() {
        return cluster;
    }

    public PortTable ports() {
        return ports;
    }

    public PortPlan plan() {
        return plan;
    }

    /** The alarm sink given at construction. */
    public AlarmSink alarms() {
        return alarms;
    }
}
