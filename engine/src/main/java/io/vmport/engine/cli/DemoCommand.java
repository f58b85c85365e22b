package io.vmport.engine.cli;

import io.vmport.config.ClusterBootstrap;
import io.vmport.config.ClusterSettings;
import io.vmport.config.ConfigException;
import io.vmport.config.HostPort;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.node.DemoCluster;
import io.vmport.engine.node.Node;
import io.vmport.engine.node.NodeStartException;
import io.vmport.engine.pipeline.ClusterView;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmport demo}: the embedded database and both nodes on loopback (DESIGN section 4), until SIGINT/SIGTERM.
 * SIP trunk, other SIP and PIMG/TIMG run over the SIP trunk; SCCP also starts the phone-system simulator on
 * 127.0.0.1:2000, with which every port device of both servers registers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts the embedded database and both nodes on loopback; runs until SIGINT/SIGTERM.")
final class DemoCommand implements Callable<Integer> {
    static final long SETTLE_TIMEOUT_MS = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--integration", defaultValue = "sip-trunk", paramLabel = "KIND",
            description = "sip-trunk | sccp | pimg | other-sip (default: ${DEFAULT-VALUE})")
    String integration;

    @Option(names = "--ports", defaultValue = "16", paramLabel = "N",
            description = "ports the traffic needs, N (default: ${DEFAULT-VALUE}: 8 per server for a SIP trunk)")
    int ports;

    @Option(names = "--admin-token", defaultValue = "change-me", paramLabel = "T",
            description = "bearer token of the admin API (default: ${DEFAULT-VALUE})")
    String adminToken;

    @Option(names = "--data", defaultValue = "./vmport-data", paramLabel = "DIR",
            description = "where the embedded database keeps its files (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--mwi-target", paramLabel = "HOST:PORT",
            description = "where the PRIMARY sends MWI NOTIFYs over UDP (default: none, no MWI)")
    String mwiTarget;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Integration kind;
        Optional<HostPort> mwi;
        try {
            kind = Integration.fromConfigName("--integration", integration);
            mwi = mwiTarget == null ? Optional.empty() : Optional.of(HostPort.parse("--mwi-target", mwiTarget));
            new ClusterBootstrap(kind, ports, ClusterSettings.defaults()); // refuses a bad --ports before any start
        } catch (ConfigException e) {
            err.println("vmport demo: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        DemoCluster demo;
        try {
            demo = DemoCluster.start(data, kind, ports, adminToken, DemoCluster.Layout.defaults(),
                    DemoCluster.SCCP_PORT, mwi);
        } catch (RuntimeException | LinkageError e) { // LinkageError: a jar built from mismatched modules
            err.println("vmport demo: cannot start: " + NodeStartException.explain(e));
            err.flush();
            return ExitCodes.USAGE;
        }
        settle(demo);
        printSummary(out, demo);
        Foreground.runUntilSignalled(demo::close);
        out.println("vmport demo stopped");
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Waits (bounded) until both nodes see the peer and neither is STARTING, and for SCCP until every port device
     * registered, so the summary is the real one.
     */
    private static void settle(DemoCluster demo) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_MS * 1_000_000;
        while (System.nanoTime() < deadline && !(settled(demo.publisher()) && settled(demo.subscriber())
                && demo.phoneSystem().map(sim -> sim.registeredCount() == demo.publisher().portPlan().size())
                        .orElse(true))) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean settled(Node node) {
        ClusterView v = node.clusterView();
        return v.peerConnected() && v.status(ServerName.PUBLISHER) != ServerStatus.STARTING
                && v.status(ServerName.SUBSCRIBER) != ServerStatus.STARTING;
    }

    static void printSummary(PrintWriter out, DemoCluster demo) {
        Node pub = demo.publisher();
        out.println("vmport demo: " + pub.cluster().integration().configName() + ", " + pub.portPlan().size()
                + " ports; embedded database " + demo.embeddedDatabase().jdbcUrl() + " (data in "
                + demo.embeddedDatabase().directory() + ")");
        out.printf("%-11s %-11s %-22s %-22s %-28s %-12s %-6s %s%n", "SERVER", "STATUS", "SIP (udp+tcp)",
                "PEER LINK", "ADMIN", "RTP (udp)", "PORTS", "TAKING CALLS");
        for (ServerName name : ServerName.values()) {
            Node n = demo.node(name);
            ClusterView v = n.clusterView();
            out.printf("%-11s %-11s %-22s %-22s %-28s %-12s %-6s %s%n", name.configName(), v.status(name),
                    n.config().sip().host() + ":" + n.config().sip().port(), n.config().peer().listen(),
                    "http://" + n.config().admin().host() + ":" + n.config().admin().port(),
                    n.config().media().firstRtpPort() + "-" + n.config().media().lastRtpPort(),
                    n.portPlan().isShared() ? n.portPlan().size() + "*" : String.valueOf(n.portPlan().count(name)),
                    v.server(name).takingCalls() ? "yes" : "no");
        }
        if (pub.portPlan().isShared()) {
            out.println("* shared: either server may answer each gateway port, never both at once (INVITE sip:7@host"
                    + " is gateway port 7); while both take calls odd ports answer on the publisher and even ones on"
                    + " the subscriber, the other server redirecting (302); when one takes no calls the other answers"
                    + " every port");
        }
        ClusterView v = pub.clusterView();
        out.println("epoch " + v.epoch() + ", primary " + (v.primary() == null ? "none" : v.primary().configName())
                + ", peer link " + (v.peerConnected() ? "up" : "down") + ", MWI "
                + v.settings().mwiTarget().map(t -> "to " + t + " (udp, from the PRIMARY)").orElse("off"));
        demo.phoneSystem().ifPresent(sim -> out.println("SCCP phone-system simulator on " + DemoCluster.HOST + ":"
                + DemoCluster.SCCP_PORT + ": " + sim.registeredCount() + " of " + pub.portPlan().size()
                + " port devices registered (hunt list: the subscriber's first)"));
        if (demo.phoneSystem().isEmpty()) {
            out.println("try: sipp " + pub.config().sip().host() + ":" + pub.config().sip().port()
                    + " -sn uac -m 10 -r 5" + (pub.portPlan().isShared() ? " -s 1    (gateway port 1)" : ""));
        }
        out.println("     VMPORT_TOKEN=<the --admin-token> java -jar engine/target/vmport.jar cluster"
                + "    (Ctrl-C or SIGTERM stops the demo)");
        out.flush();
    }
}
