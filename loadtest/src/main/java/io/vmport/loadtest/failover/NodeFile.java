package io.vmport.loadtest.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bootstrap file of a {@link NodeProcess}: a SIP-trunk cluster, by default with 100 ms heartbeats and 500 ms
 * timeouts on both sides (the failover aim's setting), written as {@code <server>.yaml}.
 *
 * @param host         where SIP and the admin API listen
 * @param allow        the SIP trunk's allowed sources, one CIDR block
 * @param peerListen   {@code host:port} of this node's peer link
 * @param peerAddress  {@code host:port} of the other node's
 * @param networkCheck the ST-8 check addresses, comma-separated
 * @param heartbeatIntervalMs how often the nodes send heartbeats (ST-11)
 * @param heartbeatTimeoutMs  the local and the remote heartbeat timeout (ST-11)
 * @param mwiTarget    {@code host:port} of the PBX's MWI receiver (MW-1), or null for no MWI
 * @param mwiSendsPerSecond the MWI pacing (cluster setting {@code mwiSendsPerSecond}); 0: not written (default)
 */
public record NodeFile(String server, String host, String allow, int sipPort, int adminPort, String peerListen,
                String peerAddress, String dbUrl, String dbUser, String dbPassword, int ports, long holdDownMs,
                String networkCheck, long heartbeatIntervalMs, long heartbeatTimeoutMs, String mwiTarget,
                int mwiSendsPerSecond) {

    /** With 100 ms heartbeats, 500 ms timeouts and no MWI. */
    public NodeFile(String server, String host, String allow, int sipPort, int adminPort, String peerListen,
                    String peerAddress, String dbUrl, String dbUser, String dbPassword, int ports, long holdDownMs,
                    String networkCheck) {
        this(server, host, allow, sipPort, adminPort, peerListen, peerAddress, dbUrl, dbUser, dbPassword, ports,
                holdDownMs, networkCheck, 100, 500, null, 0);
    }

    /** With these heartbeats and no MWI. */
    public NodeFile(String server, String host, String allow, int sipPort, int adminPort, String peerListen,
                    String peerAddress, String dbUrl, String dbUser, String dbPassword, int ports, long holdDownMs,
                    String networkCheck, long heartbeatIntervalMs, long heartbeatTimeoutMs) {
        this(server, host, allow, sipPort, adminPort, peerListen, peerAddress, dbUrl, dbUser, dbPassword, ports,
                holdDownMs, networkCheck, heartbeatIntervalMs, heartbeatTimeoutMs, null, 0);
    }

    /** The same file with {@code host:port} as the MWI target. */
    public NodeFile withMwiTarget(String target) {
        return new NodeFile(server, host, allow, sipPort, adminPort, peerListen, peerAddress, dbUrl, dbUser,
                dbPassword, ports, holdDownMs, networkCheck, heartbeatIntervalMs, heartbeatTimeoutMs, target,
                mwiSendsPerSecond);
    }

    /** The same file with {@code sendsPerSecond} as the MWI pacing (0: the default). */
    public NodeFile withMwiSendsPerSecond(int sendsPerSecond) {
        return new NodeFile(server, host, allow, sipPort, adminPort, peerListen, peerAddress, dbUrl, dbUser,
                dbPassword, ports, holdDownMs, networkCheck, heartbeatIntervalMs, heartbeatTimeoutMs, mwiTarget,
                sendsPerSecond);
    }

    /**
     * Writes the file into {@code work} and returns the process that runs it, logging to {@code <server>.log}
     * beside it (an old log removed); not started.
     *
     * @param prefix what runs the JVM, e.g. {@code ip netns exec NS}; empty for none
     */
    public NodeProcess process(Path jar, Path work, List<String> prefix) throws IOException {
        Path file = write(work);
        Path log = work.resolve(server + ".log");
        Files.deleteIfExists(log);
        return new NodeProcess(server, jar, file, log, host, adminPort, sipPort, prefix);
    }

    /** As {@link #process(Path, Path, List)}, the JVM run directly. */
    public NodeProcess process(Path jar, Path work) throws IOException {
        return process(jar, work, List.of());
    }

    /** Writes the file into {@code dir}; returns its path. */
    public Path write(Path dir) throws IOException {
        String yaml = """
                server: %s
                sip:
                  host: %s
                  port: %d
                  allow: [%s]
                admin:
                  host: %s
                  port: %d
                  token: %s
                peer:
                  listen: %s
                  address: %s
                database:
                  url: "%s"
                  user: "%s"
                  password: "%s"
                  poolSize: 4
                logLevel: INFO
                cluster:
                  integration: sip-trunk
                  ports: %d
                  settings:
                    heartbeatIntervalMs: %d
                    localHeartbeatTimeoutMs: %d
                    remoteHeartbeatTimeoutMs: %d
                    failbackHoldDownMs: %d
                    networkCheck: [%s]
                """.formatted(server, host, sipPort, allow, host, adminPort, NodeProcess.TOKEN, peerListen, peerAddress,
                dbUrl, dbUser, dbPassword, ports, heartbeatIntervalMs, heartbeatTimeoutMs, heartbeatTimeoutMs,
                holdDownMs, networkCheck)
                + (mwiTarget == null ? "" : "    mwiTarget: \"" + mwiTarget + "\"\n")
                + (mwiSendsPerSecond == 0 ? "" : "    mwiSendsPerSecond: " + mwiSendsPerSecond + "\n");
        Path file = dir.resolve(server + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
