package io.vmport.config;

/**
 * The cluster that a node creates when the database holds none yet (SPEC CL-2); ignored once the cluster
 * exists. A node joining an existing cluster needs none.
 *
 * @param integration how the phone system reaches the ports (SPEC section 3)
 * @param ports       N, the ports the traffic needs: SCCP gives the phone system 2N port devices, N per server;
 *                    SIP trunk and other SIP N/2 per server; PIMG/TIMG N shared ports
 * @param settings    the cluster-wide settings, SPEC defaults for any not configured
 */
public record ClusterBootstrap(Integration integration, int ports, ClusterSettings settings) {
    public static final int MIN_PORTS = 1;
    public static final int MAX_PORTS = 10_000;

    public ClusterBootstrap {
        Checks.present("cluster.integration", integration, "one of " + Integration.allowedNames());
        Checks.range("cluster.ports", ports, MIN_PORTS, MAX_PORTS);
        Checks.present("cluster.settings", settings, "the cluster settings");
    }

    /** The hunt order within a server (SPEC PT-4); the same as {@code settings().huntOrder()}. */
    public HuntOrder huntOrder() {
        return settings.huntOrder();
    }
}
