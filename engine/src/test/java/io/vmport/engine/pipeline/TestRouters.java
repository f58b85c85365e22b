package io.vmport.engine.pipeline;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortTable;
import io.vmport.engine.routing.Router;

/** The one place the pipeline tests build a Router: the domain's, on a cluster that works normally (ST-1). */
final class TestRouters {
    private TestRouters() {
    }

    /** A SIP-trunk router with {@code portsPerServer} ports on each server, both taking calls. */
    static Router sipTrunk(int portsPerServer) {
        return started(Integration.SIP_TRUNK, 2 * portsPerServer);
    }

    /**
     * A PIMG router over {@code portCount} shared ports, so a producer can name the port it offers on
     * ({@link #gatewayPort}) and publish the answer and the end without waiting for the decision; every call lands
     * on the publisher, which answers every port.
     */
    static Router gateway(int portCount) {
        Router router = started(Integration.PIMG, portCount);
        // The subscriber stops taking calls, so the publisher answers every gateway port: while both take calls,
        // even ports are the subscriber's and a call for one landing on the publisher is redirected (PT-1).
        router.cluster().perform(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER, false, 0);
        return router;
    }

    /** The gateway port number (the offer's port hint) that names port index {@code portIndex}. */
    static int gatewayPort(int portIndex) {
        return portIndex + 1;
    }

    /** The port indexes such a SIP-trunk router uses: both servers together. */
    static int portCount(int portsPerServer) {
        return 2 * portsPerServer;
    }

    private static Router started(Integration integration, int n) {
        ClusterSettings settings = ClusterSettings.defaults();
        PortPlan plan = PortPlan.of(integration, n);
        PortTable ports = new PortTable(plan, settings.huntOrder());
        Cluster cluster = new Cluster(ServerName.PUBLISHER, settings, ports, AlarmSink.NONE);
        cluster.onClusterStateRead(null, 0, null, ServerStatus.STARTING, 0);
        cluster.onPeerHeartbeat(ServerStatus.SECONDARY, null, cluster.epoch(), true, 0);
        while (cluster.pollEffect() != null) {
            // start-up effects (publish status, start primary services) are the node's business
        }
        return new Router(cluster, plan, ports, AlarmSink.NONE);
    }
}
