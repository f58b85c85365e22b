package io.vmport.engine.pipeline;

import io.vmport.config.ClusterSettings;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.ServerStatus;
import java.util.List;

/**
 * An immutable picture of the cluster's status part (SPEC PM-2), taken by the router stage after every event that
 * may change it, for queries that must never enter the ring. Calls in progress and port counts come from the
 * {@link MonitorSnapshot}, which changes with every call.
 *
 * @param self            the server this node is
 * @param servers         both servers, publisher first
 * @param epoch           the newest epoch this node knows (ST-13)
 * @param primary         the PRIMARY server, or null when there is none
 * @param peerConnected   whether heartbeats from the peer arrive
 * @param lastHeartbeatNs when the last one arrived ({@link Cluster#NEVER} before the first)
 * @param settings        the cluster settings in force
 * @param peerCallsInProgress the calls in progress the other server reported in its last heartbeat, or -1 when
 *                        no heartbeat has come since the link was lost
 * @param asOfNs          when this picture was taken
 * @param mergeDone       this server is SPLIT_BRAIN_RECOVERY and its own merge is done (ST-12; its heartbeats say so)
 */
public record ClusterView(ServerName self, List<Server> servers, long epoch, ServerName primary,
                          boolean peerConnected, long lastHeartbeatNs, ClusterSettings settings,
                          int peerCallsInProgress, long asOfNs, boolean mergeDone) {

    /** One server as this node sees it. */
    public record Server(ServerName name, ServerStatus status, boolean takingCalls, long epoch) {
    }

    public ClusterView {
        servers = List.copyOf(servers);
    }

    /** Takes the picture; only the router stage's thread may call this, since it reads the live cluster. */
    static ClusterView of(Cluster cluster, int peerCallsInProgress, long nowNs) {
        return new ClusterView(cluster.self(), List.of(server(cluster, ServerName.PUBLISHER),
                server(cluster, ServerName.SUBSCRIBER)), cluster.epoch(), cluster.primary(), cluster.peerConnected(),
                cluster.lastHeartbeatNs(), cluster.settings(), peerCallsInProgress, nowNs, cluster.mergeDone());
    }

    /**
     * Calls in progress on {@code name}'s ports. This node's own calls are in its port monitor; the other server's
     * are on that server's node, which reports them in its heartbeats, so its word is taken while heartbeats come.
     */
    public int callsInProgress(ServerName name, MonitorSnapshot snapshot) {
        if (name != self && peerCallsInProgress >= 0) {
            return peerCallsInProgress;
        }
        return snapshot.callsInProgress(name);
    }

    private static Server server(Cluster cluster, ServerName name) {
        return new Server(name, cluster.status(name), cluster.takingCalls(name), cluster.epochOf(name));
    }

    public Server server(ServerName name) {
        return servers.get(name.ordinal());
    }

    public ServerStatus status(ServerName name) {
        return server(name).status();
    }
}
