package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortTable;
import io.vmport.engine.routing.RoutingDecision;
import io.vmport.engine.routing.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One node's domain (cluster view, port table, router) with a test clock that the test steps, a list of the
 * alarms raised, and a scripted peer that sends heartbeats while {@link #peerAlive} is set. No sleeps anywhere.
 */
public final class DomainFixture {

    public static final long MS = 1_000_000L;

    public final List<Alarm> alarms = new ArrayList<>();
    public final PortPlan plan;
    public final PortTable ports;
    public final Cluster cluster;
    public final Router router;
    public final RoutingDecision decision = new RoutingDecision();
    /** The test clock, in ns. */
    public long now = 1_000 * MS;
    /** While true, {@link #advanceMs} delivers a heartbeat from the peer every heartbeat interval. */
    public boolean peerAlive = true;
    /** What the scripted peer says its status is; null: whatever this view shows for it. */
    public ServerStatus peerReports;

    public DomainFixture(ServerName self, Integration integration, int n, ClusterSettings settings) {
        plan = PortPlan.of(integration, n);
        ports = new PortTable(plan, settings.huntOrder());
        cluster = new Cluster(self, settings, ports, alarms::add);
        router = new Router(cluster, plan, ports, alarms::add);
    }

    /** A node whose cluster works normally: publisher PRIMARY, subscriber SECONDARY (ST-1), peer heard. */
    public static DomainFixture started(ServerName self, Integration integration, int n, ClusterSettings settings) {
        DomainFixture f = new DomainFixture(self, integration, n, settings);
        if (self == ServerName.PUBLISHER) {
            f.cluster.onClusterStateRead(null, 0, null, ServerStatus.STARTING, f.now);
            f.cluster.onPeerHeartbeat(ServerStatus.SECONDARY, null, f.cluster.epoch(), true, f.now);
        } else {
            f.cluster.onClusterStateRead(ServerName.PUBLISHER, 0, null, ServerStatus.PRIMARY, f.now);
            f.cluster.onPeerHeartbeat(ServerStatus.PRIMARY, null, f.cluster.epoch(), true, f.now);
        }
        f.alarms.clear();
        while (f.cluster.pollEffect() != null) {
            // the start's effects are not what the tests look at
        }
        return f;
    }

    public static DomainFixture started(Integration integration, int n) {
        return started(ServerName.PUBLISHER, integration, n, ClusterSettings.defaults());
    }

    public static DomainFixture sip(int n) {
        return started(Integration.SIP_TRUNK, n);
    }

    /** Steps the clock in heartbeat intervals: a heartbeat from the peer (while alive), then a tick. */
    public void advanceMs(long ms) {
        long end = now + ms * MS;
        long step = cluster.settings().heartbeatIntervalMs() * MS;
        while (now < end) {
            now = Math.min(end, now + step);
            if (peerAlive) {
                ServerStatus s = peerReports != null ? peerReports : cluster.status(cluster.self().other());
                cluster.onPeerHeartbeat(s, null, cluster.epoch(), cluster.takingCalls(cluster.self().other()), now);
            }
            cluster.onTick(now);
        }
    }

    /** Offers a SIP call (portHint -1) on {@code server}; returns the shared decision. */
    public RoutingDecision offer(ServerName server) {
        router.offer(server, -1, now, decision);
        return decision;
    }

    public RoutingDecision offer(ServerName server, int portHint) {
        router.offer(server, portHint, now, decision);
        return decision;
    }

    /** Offers and answers a SIP call on {@code server}; returns its port, failing when it was not answered. */
    public int call(ServerName server) {
        RoutingDecision d = offer(server);
        if (!d.isAnswer()) {
            throw new AssertionError("expected an answer on " + server + ", got " + d);
        }
        router.answered(d.portIndex(), now);
        return d.portIndex();
    }

    /** Whether this node may do primary-only work now (publish, notify, send MWI): its own status publishes data. */
    public boolean mayDoPrimaryWork() {
        return cluster.status(cluster.self()).publishesData();
    }

    public List<AlarmName> alarmNames() {
        return alarms.stream().map(Alarm::name).collect(Collectors.toList());
    }

    public List<Alarm> alarms(AlarmName name) {
        return alarms.stream().filter(a -> a.name() == name).collect(Collectors.toList());
    }

    public long count(AlarmName name) {
        return alarms.stream().filter(a -> a.name() == name).count();
    }

    public List<Effect> drainEffects() {
        List<Effect> out = new ArrayList<>();
        for (Effect e = cluster.pollEffect(); e != null; e = cluster.pollEffect()) {
            out.add(e);
        }
        return out;
    }

    /** Settings that differ from the SPEC defaults only where a test says so. */
    public static final class Settings {
        private boolean autoFailover = true;
        private boolean autoFailback = true;
        private long failbackHoldDownMs = 60_000;
        private boolean deactivateOnBacklog;
        private long backlogLimit = 10_000;
        private boolean absorb;
        private HuntOrder huntOrder = HuntOrder.TOP_DOWN;
        private long heartbeatIntervalMs = 500;
        private long localTimeoutMs = 3_000;

        public Settings autoFailover(boolean v) {
            autoFailover = v;
            return this;
        }

        public Settings autoFailback(boolean v) {
            autoFailback = v;
            return this;
        }

        public Settings failbackHoldDownMs(long v) {
            failbackHoldDownMs = v;
            return this;
        }

        public Settings deactivateOnBacklog(boolean v, long limit) {
            deactivateOnBacklog = v;
            backlogLimit = limit;
            return this;
        }

        public Settings absorb(boolean v) {
            absorb = v;
            return this;
        }

        public Settings huntOrder(HuntOrder v) {
            huntOrder = v;
            return this;
        }

        public Settings localTimeoutMs(long v) {
            localTimeoutMs = v;
            return this;
        }

        public ClusterSettings build() {
            return new ClusterSettings(autoFailover, autoFailback, failbackHoldDownMs, deactivateOnBacklog,
                    backlogLimit, absorb, huntOrder, heartbeatIntervalMs, localTimeoutMs, 3_000, false,
                    List.of("127.0.0.1"));
        }
    }
}
