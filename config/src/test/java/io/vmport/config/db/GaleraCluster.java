package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A MariaDB Galera cluster on loopback for tests (issue 18): N {@code mariadbd} processes of the system's MariaDB
 * (Debian's {@code mariadb-server} and {@code galera-4}), each with its own data directory under {@code dir} and
 * free loopback ports for SQL, group communication (gcomm), IST and SST.
 *
 * <p>Start-up without a full state transfer: node 1 bootstraps a cluster on one {@code mariadb-install-db}
 * ({@code --wsrep-new-cluster}) and stops; its data directory is copied to every other node, node 1 bootstraps
 * again and the others join one by one at the same position, so nothing is transferred. A node
 * killed with -9 is restarted as an operator would: {@code mariadbd --wsrep-recover} reads its last committed
 * position from InnoDB, and it rejoins at that position with an incremental state transfer (IST) from a peer's
 * gcache. Durability is traded for speed: no fsync per commit, a small buffer pool and log.
 *
 * <p>Every process is stopped by its own handle (SIGTERM, SIGKILL after a deadline); {@link #close()} stops all.
 * Under root, {@code mariadbd} runs with {@code --user=root}, and the data directories, and what it makes in them
 * later, are opened to every user because the rsync daemon of Galera's state-transfer script drops root to
 * {@code nobody}: a full state transfer (SST), which a node restarted after a kill may need, fails otherwise.
 */
public final class GaleraCluster implements AutoCloseable {
    public static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    public static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    public static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    public static final String HOST = "127.0.0.1";
    public static final String USER = "vmport";
    public static final String PASSWORD = "vmport-galera";
    static final long START_TIMEOUT_MS = 90_000;
    static final long STOP_TIMEOUT_MS = 30_000;
    static final int JOIN_ATTEMPTS = 3;
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static final Pattern RECOVERED = Pattern.compile("Recovered position:\\s*([0-9a-f-]{36}:-?\\d+)");

    /** How long a silent node goes before it is suspected (evs.suspect_timeout), unless a test sets it. */
    public static final long DEFAULT_SUSPECT_TIMEOUT_MS = 3_000;

    /**
     * How the nodes find a dead peer (Galera's EVS timers); issue 18's kill figure. Writes everywhere in the
     * cluster wait until a dead node has left the view: the survivors suspect it after {@code suspectTimeoutMs}
     * of silence (checked every {@code inactiveCheckMs}), then agree on the new view by exchanging join messages,
     * resent every {@code joinRetransMs} until they agree. Galera's own join period, 1 s, is most of the wait
     * after the suspicion: one survivor suspects first, its join finds the other not suspecting yet, and the
     * other's answer waits for its next resend.
     *
     * @param suspectTimeoutMs evs.suspect_timeout
     * @param inactiveCheckMs  evs.inactive_check_period
     * @param joinRetransMs    evs.join_retrans_period
     */
    public record FailureDetection(long suspectTimeoutMs, long inactiveCheckMs, long joinRetransMs) {
        /** Galera's evs.join_retrans_period when it is not set. */
        public static final long GALERA_JOIN_RETRANS_MS = 1_000;

        public FailureDetection {
            if (suspectTimeoutMs < 500) {
                throw new IllegalArgumentException("suspectTimeoutMs must be >= 500, was " + suspectTimeoutMs);
            }
            if (inactiveCheckMs < 50 || inactiveCheckMs > suspectTimeoutMs) {
                throw new IllegalArgumentException("inactiveCheckMs must be 50.." + suspectTimeoutMs + ", was "
                        + inactiveCheckMs);
            }
            if (joinRetransMs < 50 || joinRetransMs > GALERA_JOIN_RETRANS_MS) {
                throw new IllegalArgumentException("joinRetransMs must be 50.." + GALERA_JOIN_RETRANS_MS + ", was "
                        + joinRetransMs);
            }
        }

        /** The tested setting (config/examples/galera): checks and join resends at a tenth of the suspicion. */
        public static FailureDetection suspectAfter(long suspectTimeoutMs) {
            long tenth = Math.max(50, suspectTimeoutMs / 10);
            return new FailureDetection(suspectTimeoutMs, tenth, tenth);
        }

        /** The harness's setting before the kill was measured: checks at a fifth, Galera's 1 s join resend. */
        public static FailureDetection joinResendOfGalera(long suspectTimeoutMs) {
            return new FailureDetection(suspectTimeoutMs, suspectTimeoutMs / 5, GALERA_JOIN_RETRANS_MS);
        }

        /** wsrep_provider_options for these timers; keep-alives at a quarter of the suspicion. */
        String providerOptions() {
            return "evs.keepalive_period=PT" + seconds(suspectTimeoutMs / 4) + "S;evs.suspect_timeout=PT"
                    + seconds(suspectTimeoutMs) + "S;evs.inactive_check_period=PT" + seconds(inactiveCheckMs)
                    + "S;evs.join_retrans_period=PT" + seconds(joinRetransMs) + "S;evs.inactive_timeout=PT"
                    + seconds(4 * suspectTimeoutMs) + "S;evs.install_timeout=PT" + seconds(3 * suspectTimeoutMs)
                    + "S;evs.max_install_timeouts=5";
        }
    }

    private final Path dir;
    private final String clusterName;
    private final FailureDetection detection;
    private final List<Member> members = new ArrayList<>();

    private GaleraCluster(Path dir, String clusterName, FailureDetection detection) {
        this.dir = dir;
        this.clusterName = clusterName;
        this.detection = detection;
    }

    /**
     * Skips the calling test when MariaDB or Galera is not installed; under {@code CI=true} fails it instead (CI
     * installs both: {@code .ci/run}).
     */
    public static void requireOrSkip() {
        boolean present = Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB) && Files.exists(PROVIDER);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("MariaDB Galera is not installed (" + MARIADBD + ", " + PROVIDER + ") and CI=true: install the "
                    + "Debian packages mariadb-server and galera-4");
        }
        assumeTrue(present, "MariaDB Galera not installed (" + MARIADBD + ", " + PROVIDER + "): Galera tests skipped");
    }

    /**
     * Starts {@code nodes} nodes with data under {@code dir} and waits, up to {@value #START_TIMEOUT_MS} ms, until
     * every node is Synced in a primary component of that size. A user {@value #USER} may create and use every
     * database named {@code vmport*}.
     */
    public static GaleraCluster start(Path dir, int nodes) {
        return start(dir, nodes, DEFAULT_SUSPECT_TIMEOUT_MS);
    }

    /**
     * As {@link #start(Path, int)}, a silent node suspected after {@code suspectTimeoutMs} (Galera's default is
     * 5 s; 1 s detects a killed node sooner, and risks false suspicion on a loaded machine).
     */
    public static GaleraCluster start(Path dir, int nodes, long suspectTimeoutMs) {
        return start(dir, nodes, FailureDetection.suspectAfter(suspectTimeoutMs));
    }

    /** As {@link #start(Path, int)}, with these failure-detection timers. */
    public static GaleraCluster start(Path dir, int nodes, FailureDetection detection) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, was " + nodes);
        }
        requireOrSkip();
        dir = dir.toAbsolutePath();
        GaleraCluster cluster = new GaleraCluster(dir, "vmport-test-" + ProcessHandle.current().pid() + "-"
                + CLUSTERS.incrementAndGet(), detection);
        try {
            MariaDbBinaries.deleteQuietly(dir); // a previous run's nodes
            Files.createDirectories(dir);
            for (int i = 1; i <= nodes; i++) {
                cluster.members.add(new Member(i, dir.resolve("node" + i), freePort(), freePort(), freePort(),
                        freePort()));
            }
            // Node 1 bootstraps a new cluster on a fresh install, makes the user, and stops: its data directory,
            // with the cluster's UUID and position in grastate.dat and in InnoDB, becomes every other node's.
            Member first = cluster.members.get(0);
            install(first.data());
            cluster.launch(first, List.of("--wsrep-new-cluster"));
            cluster.awaitSynced(1, 1);
            cluster.sql(1, "CREATE USER '" + USER + "'@'" + HOST + "' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT ALL PRIVILEGES ON `vmport%`.* TO '" + USER + "'@'" + HOST + "'");
            stop(first);
            for (Member m : cluster.members.subList(1, nodes)) {
                copy(first.data(), m.data());
            }
            cluster.launch(first, List.of("--wsrep-new-cluster"));
            cluster.awaitSynced(1, 1);
            for (Member m : cluster.members.subList(1, nodes)) {
                cluster.join(m);
            }
            for (Member m : cluster.members) {
                cluster.awaitSynced(m.index, nodes);
            }
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException("cannot prepare the Galera nodes in " + dir, e);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The number of nodes. */
    public int size() {
        return members.size();
    }

    /** Node {@code index}'s SQL port (1-based). */
    public int port(int index) {
        return member(index).sqlPort;
    }

    /** {@code host:port} of every node, node {@code first} first and the others in order: "own node first". */
    public String hostsOwnFirst(int first) {
        return Stream.concat(Stream.of(member(first)), members.stream().filter(m -> m.index != first))
                .map(m -> HOST + ":" + m.sqlPort).collect(Collectors.joining(","));
    }

    /** A new, empty database on the cluster (replicated to every node), named {@code vmport_g<pid>_<n>}. */
    public String createDatabase() {
        String name = "vmport_g" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        sql(firstRunning(), "CREATE DATABASE `" + name + "` DEFAULT CHARACTER SET utf8mb4");
        return name;
    }

    /** Settings for {@code database} over every node, node {@code first} first (what a vmport node configures). */
    public DatabaseSettings settings(String database, int first) {
        return DatabaseSettings.of("jdbc:mysql://" + hostsOwnFirst(first) + "/" + database + "?sslMode=DISABLED",
                USER, PASSWORD);
    }

    /** Whether node {@code index}'s process runs. */
    public boolean isRunning(int index) {
        Process p = member(index).process;
        return p != null && p.isAlive();
    }

    /** The pid of node {@code index}'s process. */
    public long pid(int index) {
        return member(index).process.pid();
    }

    /** Kills node {@code index} with SIGKILL (kill -9) and waits until it is gone. */
    public void kill(int index) {
        Member m = member(index);
        m.process.destroyForcibly();
        waitFor(m.process, STOP_TIMEOUT_MS);
    }

    /**
     * Freezes node {@code index} with SIGSTOP: its host gone silent without closing anything. Its kernel still
     * holds its sockets, but the node answers no client and no peer, so the others evict it after
     * {@code evs.suspect_timeout}. {@link #thaw} resumes it; {@link #close()} thaws before it stops.
     */
    public void freeze(int index) {
        signal(member(index), "STOP");
        member(index).frozen = true;
    }

    /** Resumes node {@code index} after {@link #freeze} (SIGCONT). */
    public void thaw(int index) {
        thaw(member(index));
    }

    private static void thaw(Member m) {
        if (m.frozen) {
            signal(m, "CONT");
            m.frozen = false;
        }
    }

    private static void signal(Member m, String signal) {
        Process p = m.process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("node " + m.index + " does not run: cannot send SIG" + signal);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
            if (!waitFor(kill, 10_000) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed (node " + m.index + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to node " + m.index, e);
        }
    }

    /** Stops node {@code index} cleanly (SIGTERM), SIGKILL after {@value #STOP_TIMEOUT_MS} ms. */
    public void stop(int index) {
        stop(member(index));
    }

    /**
     * Starts node {@code index} again after {@link #kill} or {@link #stop}, at the position recovered from its
     * InnoDB (IST from a peer), without waiting for it to sync: see {@link #awaitSynced}.
     */
    public void restart(int index) {
        Member m = member(index);
        if (isRunning(index)) {
            throw new IllegalStateException("node " + index + " still runs (pid " + m.process.pid() + ")");
        }
        String position = recoverPosition(m);
        launch(m, List.of("--wsrep-start-position=" + position));
    }

    /**
     * Waits until node {@code index} is Synced in a primary component of {@code clusterSize} nodes.
     *
     * @throws IllegalStateException after {@value #START_TIMEOUT_MS} ms, with what the node said last and its log tail
     */
    public void awaitSynced(int index, int clusterSize) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            Member m = member(index);
            if (m.process == null || !m.process.isAlive()) {
                throw new IllegalStateException("node " + index + " exited while joining; log:\n" + tail(m));
            }
            try {
                String state = status(index, "wsrep_local_state_comment");
                String size = status(index, "wsrep_cluster_size");
                String component = status(index, "wsrep_cluster_status");
                last = state + ", size " + size + ", " + component;
                if ("Synced".equals(state) && String.valueOf(clusterSize).equals(size) && "Primary".equals(component)) {
                    return;
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            pause(100);
        }
        throw new IllegalStateException("node " + index + " not Synced in a primary component of " + clusterSize
                + " after " + START_TIMEOUT_MS + " ms (last: " + last + "); log:\n" + tail(member(index)));
    }

    /** A global status variable of node {@code index}, e.g. {@code wsrep_local_state_comment}; null if none. */
    public String status(int index, String variable) throws SQLException {
        try (Connection c = rootConnection(index); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    /** Runs statements as root on node {@code index}. */
    public void sql(int index, String... statements) {
        try (Connection c = rootConnection(index); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("node " + index + ": " + e.getMessage(), e);
        }
    }

    /** The last lines of node {@code index}'s log, for failure messages. */
    public String logTail(int index) {
        return tail(member(index));
    }

    /** Stops every node that runs, each by its own process handle. */
    @Override
    public void close() {
        for (Member m : members) {
            stop(m);
        }
    }

    private Connection rootConnection(int index) throws SQLException {
        return rootConnection(index, "");
    }

    /** A root connection to node {@code index}'s {@code database} ("" for none). */
    Connection rootConnection(int index, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + member(index).sqlPort + "/" + database
                + "?sslMode=DISABLED&connectTimeout=2000&socketTimeout=10000", "root", "");
    }

    private int firstRunning() {
        return members.stream().filter(m -> m.process != null && m.process.isAlive()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Galera node runs")).index;
    }

    private Member member(int index) {
        if (index < 1 || index > members.size()) {
            throw new IllegalArgumentException("node " + index + " does not exist: 1 to " + members.size());
        }
        return members.get(index - 1);
    }

    private List<String> serverCommand(Member m) {
        String peers = members.stream().filter(o -> o.index != m.index).map(o -> HOST + ":" + o.gcommPort)
                .collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of(
                MARIADBD.toString(),
                "--no-defaults",
                "--datadir=" + m.data(),
                "--socket=" + m.dir.resolve("mariadbd.sock"),
                "--pid-file=" + m.dir.resolve("mariadbd.pid"),
                "--log-error=" + m.log(),
                "--tmpdir=" + m.dir,
                "--port=" + m.sqlPort,
                "--bind-address=" + HOST,
                "--skip-name-resolve",
                "--skip-ssl",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--max-connections=400",
                // fast and small: replication is the durability here
                "--innodb-buffer-pool-size=64M",
                "--innodb-log-file-size=16M",
                // each commit written to the OS (fsync once a second): a kill -9 loses none of it, so the
                // position --wsrep-recover finds is the gcache's last and the rejoin is an IST; with 0 a second
                // of commits could be missing from InnoDB but not from the gcache, and the node needed a full SST
                "--innodb-flush-log-at-trx-commit=2",
                "--innodb-doublewrite=0",
                "--performance-schema=OFF",
                "--skip-log-bin",
                // what Galera requires
                "--binlog-format=ROW",
                "--default-storage-engine=InnoDB",
                "--innodb-autoinc-lock-mode=2",
                "--wsrep-on=ON",
                "--wsrep-provider=" + PROVIDER,
                "--wsrep-cluster-name=" + clusterName,
                "--wsrep-cluster-address=gcomm://" + peers,
                "--wsrep-node-name=node" + m.index,
                "--wsrep-node-address=" + HOST + ":" + m.gcommPort,
                "--wsrep-sst-method=rsync",
                "--wsrep-sst-receive-address=" + HOST + ":" + m.sstPort,
                "--wsrep-slave-threads=2",
                // a dead node leaves the view soon after it is suspected (FailureDetection); generous install and
                // inactivity limits, for a machine busy with other builds
                "--wsrep-provider-options=gmcast.listen_addr=tcp://" + HOST + ":" + m.gcommPort
                        + ";ist.recv_addr=" + HOST + ":" + m.istPort + ";gcache.size=64M;"
                        + detection.providerOptions() + ";pc.wait_prim_timeout=PT10S"));
        if (ROOT) {
            command.add("--user=root"); // mariadbd refuses to run as root unless told so
        }
        return command;
    }

    private static String seconds(long ms) {
        return String.valueOf(ms / 1000.0);
    }

    private void launch(Member m, List<String> extra) {
        List<String> command = serverCommand(m);
        command.addAll(extra);
        try {
            openToAll(m.data());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(m.dir.resolve("console.log").toFile()));
            if (ROOT) {
                // tables and databases made later must be open to the rsync daemon too (mariadbd reads UMASK)
                builder.environment().put("UMASK", "0666");
                builder.environment().put("UMASK_DIR", "0777");
            }
            m.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Galera node " + m.index, e);
        }
    }

    /**
     * Starts {@code m} into the running cluster and waits until it is synced; once more if it gave up while
     * joining (a view that was not installed in time, a state transfer that failed, on a busy machine), up to
     * {@value #JOIN_ATTEMPTS} times in all.
     */
    private void join(Member m) {
        for (int attempt = 1; ; attempt++) {
            launch(m, List.of());
            try {
                awaitSynced(m.index, m.index);
                return;
            } catch (IllegalStateException gaveUp) {
                if (isRunning(m.index) || attempt == JOIN_ATTEMPTS) {
                    throw gaveUp;
                }
                System.err.println("Galera node " + m.index + " gave up joining (attempt " + attempt + " of "
                        + JOIN_ATTEMPTS + "); starting it again:\n" + gaveUp.getMessage());
            }
        }
    }

    private String recoverPosition(Member m) {
        List<String> command = serverCommand(m);
        command.add("--wsrep-recover");
        command.replaceAll(a -> a.startsWith("--log-error=") ? "--log-error=" + m.dir.resolve("recover.log") : a);
        try {
            Files.deleteIfExists(m.dir.resolve("recover.log"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!waitFor(p, STOP_TIMEOUT_MS)) {
                p.destroyForcibly();
                throw new IllegalStateException("node " + m.index + ": --wsrep-recover did not finish in "
                        + STOP_TIMEOUT_MS + " ms");
            }
            String log = Files.readString(m.dir.resolve("recover.log"), StandardCharsets.UTF_8);
            Matcher found = RECOVERED.matcher(log);
            if (!found.find()) {
                throw new IllegalStateException("node " + m.index + ": --wsrep-recover found no position:\n" + log);
            }
            return found.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the position of Galera node " + m.index, e);
        }
    }

    private static void stop(Member m) {
        Process p = m.process;
        if (p == null || !p.isAlive()) {
            return;
        }
        thaw(m); // a stopped process leaves SIGTERM pending
        p.destroy();
        if (!waitFor(p, STOP_TIMEOUT_MS)) {
            p.destroyForcibly();
            waitFor(p, STOP_TIMEOUT_MS);
        }
    }

    private static void install(Path data) throws IOException {
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(INSTALL_DB.toString(), "--no-defaults",
                "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db",
                "--innodb-log-file-size=16M", "--innodb-buffer-pool-size=64M"));
        if (ROOT) {
            command.add("--user=root");
        }
        Path log = data.getParent().resolve("install.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!waitFor(p, START_TIMEOUT_MS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db failed in " + data + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals("galera.cache")) { // each node makes its own
                    Files.copy(f, target);
                }
            }
        }
    }

    /** Under root, Galera's rsync daemon writes as {@code nobody}: the data directory must let it. */
    private static void openToAll(Path data) throws IOException {
        if (!ROOT) {
            return;
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                f.toFile().setReadable(true, false);
                f.toFile().setWritable(true, false);
                if (Files.isDirectory(f)) {
                    f.toFile().setExecutable(true, false);
                }
            }
        }
    }

    private static String tail(Member m) {
        try {
            List<String> lines = Files.readAllLines(m.log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static boolean waitFor(Process p, long timeoutMs) {
        try {
            return p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // polling interval of a deadline loop, not a wait for state
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final class Member {
        final int index;
        final Path dir;
        final int sqlPort;
        final int gcommPort;
        final int istPort;
        final int sstPort;
        volatile Process process;
        volatile boolean frozen;

        Member(int index, Path dir, int sqlPort, int gcommPort, int istPort, int sstPort) {
            this.index = index;
            this.dir = dir;
            this.sqlPort = sqlPort;
            this.gcommPort = gcommPort;
            this.istPort = istPort;
            this.sstPort = sstPort;
        }

        Path data() {
            return dir.resolve("data");
        }

        Path log() {
            return dir.resolve("mariadbd.err");
        }
    }
}
