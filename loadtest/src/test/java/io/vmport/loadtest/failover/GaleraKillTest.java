package io.vmport.loadtest.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.GaleraCluster;
import io.vmport.config.db.GaleraStallWatch;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.loadtest.Greetings;
import io.vmport.loadtest.sipp.SippRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 with real processes: a three-node MariaDB Galera cluster on loopback, {@code vmport node} twice from the
 * engine's shaded jar, the publisher on Galera node 1 first, the subscriber on node 2 first. SIPp calls both
 * servers and leaves voice messages for mailbox 1001 on both; meanwhile node 2 (the subscriber's own database
 * node) is killed with -9. No call fails (BI-4: calls do not wait for the database), and every call has exactly
 * one call record and every message is stored once, none lost and none doubled (CA-6, MS-1), on every Galera node.
 * Then, with a backlog written while node 2 was down, node 2 restarts and rejoins by IST: its server shows
 * REPLICATING_DATA until the node is synced, then SECONDARY again (SPEC section 2).
 *
 * <p>The control: first the same SIPp load on the same two nodes over one MariaDB (the test database), without a
 * kill, counted the same way: the calls a single-database setup answers. Printed: the time from the kill to the
 * first call record of a call that ended after the kill stored by the subscriber (through another Galera node),
 * and Galera's own part of it ({@link GaleraStallWatch}).
 */
class GaleraKillTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORTS = 64;
    private static final int CALLS_PER_SERVER = 120;
    private static final double RATE = 10;
    private static final int HOLD_MS = 500;
    /** Voice messages left on each server while the calls run, one after the other. */
    private static final int MESSAGES_PER_SERVER = 2;
    /** The mailbox {@link #messages} leaves its messages in. */
    static final String MAILBOX = "1001";
    /**
     * Rows written while node 2 is down, in transactions of {@value #BACKLOG_BATCH}: its incremental state
     * transfer on restart lasts long enough (a second or more here) for the subscriber's probe to see it.
     */
    private static final int BACKLOG_ROWS = 120_000;
    private static final int BACKLOG_BATCH = 2_000;
    /**
     * Galera's evs.suspect_timeout here: how long writes wait for the killed node to leave the view. 1.5 s by
     * default, robust on a busy machine; {@code -Dgalera.suspectMs=1000} for the benchmark on a quiet one.
     */
    static final long SUSPECT_TIMEOUT_MS = Long.getLong("galera.suspectMs", 1_500);

    /**
     * The peers' heartbeat timeouts: longer than Galera's write stall when a node is killed (suspect timeout and
     * view change, 1.2 to 1.7 s here), during which the PRIMARY's lease renewal waits too; a shorter one makes the
     * stall look like a dead PRIMARY (ST-8) on a busy machine.
     */
    static final long HEARTBEAT_TIMEOUT_MS = 3_000;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private GaleraCluster galera;
    private ExecutorService background;

    @AfterEach
    void stop() {
        if (background != null) {
            background.shutdownNow();
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (galera != null) {
            galera.close();
        }
    }

    @Test
    void bi4_ca6_ms1_killAGaleraNodeUnderSippLoad_noCallFailsThatOneDatabaseAnswers_everyRecordAndMessageOnce_rejoinReplicates()
            throws Exception {
        requireSippAndGalera("the Galera kill test");
        Path jar = engineJar();
        Path work = Path.of("target", "galera-kill").toAbsolutePath();
        background = Executors.newFixedThreadPool(4);

        // the control: the same load over one database, nothing killed
        DatabaseSettings one = TestDatabase.freshDatabase();
        Load.Result control;
        try (Database check = Database.open(one)) {
            MailboxSeed.write(check, Integer.parseInt(MAILBOX), 1);
            long messagesBefore = check.messages().count();
            NodeProcess[] pair = startPair(jar, work.resolve("single"), one, one);
            control = startLoad(pair[0], pair[1], work.resolve("single")).await();
            System.out.println("GALERA control, one database: " + control);
            try (Connection c = check.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertStoredOnce(st, control, messagesBefore, "the single database");
            }
            for (NodeProcess n : pair) {
                n.close();
            }
        }

        galera = GaleraCluster.start(work.resolve("galera"), 3, SUSPECT_TIMEOUT_MS);
        String database = galera.createDatabase();
        long messagesBefore;
        try (Database seed = Database.open(galera.settings(database, 1))) {
            MailboxSeed.write(seed, Integer.parseInt(MAILBOX), 1);
            messagesBefore = seed.messages().count();
        }
        NodeProcess[] pair = startPair(jar, work, galera.settings(database, 1), galera.settings(database, 2));
        NodeProcess sub = pair[1];
        Load load = startLoad(pair[0], sub, work);
        try (Connection node3 = DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + galera.port(3) + "/"
                + database + "?sslMode=DISABLED&socketTimeout=30000", "root", "");
             Statement watch = node3.createStatement()) {
            Poll.await("subscriber call records stored through its own Galera node", 30_000,
                    () -> count(watch, "SELECT COUNT(*) FROM call_record WHERE server = 'subscriber'") > 10,
                    sub::logTail);

            GaleraStallWatch stall = new GaleraStallWatch(galera, database, 1, 3);
            long killWallMs = System.currentTimeMillis();
            long killNs = System.nanoTime();
            stall.killed(killNs);
            galera.kill(2);
            long firstNs = 0;
            while (firstNs == 0) {
                stall.poll();
                if (count(watch, "SELECT COUNT(*) FROM call_record WHERE server = 'subscriber' AND ended_at_ms > "
                        + killWallMs) > 0) {
                    firstNs = System.nanoTime();
                } else if (System.nanoTime() - killNs > TimeUnit.SECONDS.toNanos(30)) {
                    fail("no subscriber call record of a call ended after the kill within 30 s:\n" + sub.logTail());
                } else {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
            System.out.printf("GALERA kill -9 of the subscriber's Galera node -> first record of a call "
                    + "ended after the kill stored through another node: %d ms (evs.suspect_timeout %d ms)%n",
                    TimeUnit.NANOSECONDS.toMillis(firstNs - killNs), SUSPECT_TIMEOUT_MS);
            stall.await(10_000);
            stall.close();
            System.out.printf("GALERA the same kill, Galera's part (%s): %s; vmport's own part: %d ms%n",
                    java.time.Instant.ofEpochMilli(killWallMs), stall,
                    TimeUnit.NANOSECONDS.toMillis(firstNs - killNs) - stall.commitResumedMs());

            Load.Result onGalera = load.await();
            System.out.println("GALERA kill -9 under load: " + onGalera + "; one database: " + control);
            assertTrue(onGalera.failedCalls() <= control.failedCalls(), "no call fails that one database answers: "
                    + onGalera + " against " + control);
            onGalera.assertAllSucceeded("on Galera, node 2 killed");

            writeBacklog(database);
            long restartNs = System.nanoTime();
            galera.restart(2);
            Rejoin rejoin = watchRejoin(sub, restartNs);
            System.out.println("GALERA rejoin of node 2 after a backlog of " + BACKLOG_ROWS + " rows: " + rejoin);
            assertTrue(rejoin.sawReplicatingData, "the subscriber shows REPLICATING_DATA while its node is not synced: "
                    + rejoin);
            Poll.await("subscriber SECONDARY again, its node synced", 30_000, () -> NodeProcess.settled(sub.cluster())
                    && NodeProcess.settled(pair[0].cluster()), sub::logTail);

            List<Connection> each = new ArrayList<>();
            try {
                List<Statement> reads = new ArrayList<>();
                for (int n = 1; n <= 3; n++) {
                    each.add(DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + galera.port(n) + "/"
                            + database + "?sslMode=DISABLED", "root", ""));
                    reads.add(each.get(n - 1).createStatement());
                    reads.get(n - 1).execute("SET SESSION wsrep_sync_wait = 1");
                    assertStoredOnce(reads.get(n - 1), onGalera, messagesBefore, "Galera node " + n);
                }
                // the status changes of the rejoin raise alarms a moment ago: every node has them once written
                Poll.await("the same alarms on every Galera node", 30_000, () -> reads.stream()
                        .map(st -> count(st, "SELECT COUNT(*) FROM alarm")).distinct().count() == 1,
                        () -> reads.stream().map(st -> count(st, "SELECT COUNT(*) FROM alarm")).toList().toString());
                assertTrue(count(reads.get(0), "SELECT COUNT(*) FROM alarm") > 0, "the status changes' alarms");
            } finally {
                for (Connection c : each) {
                    c.close();
                }
            }
        }
    }

    /**
     * The calls and messages of {@code r} each stored once where {@code st} reads: a call record per call (CA-6),
     * the subscriber's none lost, the messages SIPp left beside the {@code messagesBefore} seeded (MS-1).
     */
    private static void assertStoredOnce(Statement st, Load.Result r, long messagesBefore, String where) {
        long calls = r.answeredCalls();
        Poll.await("a call record for every call (" + calls + ") on " + where, 60_000,
                () -> count(st, "SELECT COUNT(*) FROM call_record") >= calls
                        && count(st, "SELECT COUNT(*) FROM message") >= messagesBefore + r.messagesLeft(),
                () -> count(st, "SELECT COUNT(*) FROM call_record") + " records, "
                        + count(st, "SELECT COUNT(*) FROM message") + " messages");
        assertEquals(calls, count(st, "SELECT COUNT(*) FROM call_record"), "records against SIPp's calls, " + where);
        assertEquals(calls, count(st, "SELECT COUNT(DISTINCT call_id) FROM call_record"), "none doubled, " + where);
        assertEquals(r.subscriber().successful() + r.subscriberMessages().successful(), count(st,
                "SELECT COUNT(*) FROM call_record WHERE server = 'subscriber'"), "the subscriber's, none lost, " + where);
        assertEquals(messagesBefore + r.messagesLeft(), count(st, "SELECT COUNT(*) FROM message WHERE mailbox = '"
                + MAILBOX + "'"), "messages against SIPp's, " + where);
        assertEquals(messagesBefore + r.messagesLeft(), count(st, "SELECT COUNT(DISTINCT id) FROM message"),
                "no message doubled, " + where);
    }

    /** The publisher and the subscriber on these databases, started, PRIMARY and SECONDARY (ST-1). */
    private NodeProcess[] startPair(Path jar, Path work, DatabaseSettings pubDb, DatabaseSettings subDb)
            throws IOException {
        int pubPeer = LoopbackPorts.freeTcp();
        int subPeer = LoopbackPorts.freeTcp();
        NodeProcess pub = node(jar, work, "publisher", pubDb, pubPeer, subPeer);
        NodeProcess sub = node(jar, work, "subscriber", subDb, subPeer, pubPeer);
        start(pub, sub);
        return new NodeProcess[] {pub, sub};
    }

    /** Starts the publisher, then the subscriber, and waits for PRIMARY and SECONDARY on both nodes (ST-1). */
    static void start(NodeProcess pub, NodeProcess sub) throws IOException {
        pub.start();
        Poll.await("the publisher answers", 60_000, () -> pub.cluster() != null, pub::logTail);
        sub.start();
        Poll.await("ST-1: publisher PRIMARY, subscriber SECONDARY, on both nodes", 60_000,
                () -> NodeProcess.settled(pub.cluster()) && NodeProcess.settled(sub.cluster()),
                () -> pub.logTail() + "\n----\n" + sub.logTail());
    }

    /** SIPp's calls and voice messages to both servers, running. */
    private Load startLoad(NodeProcess pub, NodeProcess sub, Path work) {
        return new Load(background.submit(() -> calls(pub, "calls-pub", work, CALLS_PER_SERVER, 120)),
                background.submit(() -> calls(sub, "calls-sub", work, CALLS_PER_SERVER, 120)),
                background.submit(() -> messages(pub, "messages-pub", work, MESSAGES_PER_SERVER, 120)),
                background.submit(() -> messages(sub, "messages-sub", work, MESSAGES_PER_SERVER, 120)));
    }

    /** SIPp's four runs of one load. */
    record Load(Future<SippRun.Result> publisher, Future<SippRun.Result> subscriber,
                Future<SippRun.Result> publisherMessages, Future<SippRun.Result> subscriberMessages) {
        Result await() throws Exception {
            return new Result(publisher.get(180, TimeUnit.SECONDS), subscriber.get(180, TimeUnit.SECONDS),
                    publisherMessages.get(180, TimeUnit.SECONDS), subscriberMessages.get(180, TimeUnit.SECONDS));
        }

        /** What SIPp counted. */
        record Result(SippRun.Result publisher, SippRun.Result subscriber, SippRun.Result publisherMessages,
                      SippRun.Result subscriberMessages) {
            long answeredCalls() {
                return publisher.successful() + subscriber.successful() + messagesLeft();
            }

            long messagesLeft() {
                return publisherMessages.successful() + subscriberMessages.successful();
            }

            long failedCalls() {
                return publisher.failed() + subscriber.failed() + publisherMessages.failed() + subscriberMessages.failed();
            }

            void assertAllSucceeded(String what) {
                assertRun(what + ", calls to the publisher", publisher, CALLS_PER_SERVER);
                assertRun(what + ", calls to the subscriber", subscriber, CALLS_PER_SERVER);
                assertRun(what + ", messages on the publisher", publisherMessages, MESSAGES_PER_SERVER);
                assertRun(what + ", messages on the subscriber", subscriberMessages, MESSAGES_PER_SERVER);
            }

            @Override
            public String toString() {
                return "calls " + (publisher.successful() + subscriber.successful()) + " ok / "
                        + (publisher.failed() + subscriber.failed()) + " failed, messages " + messagesLeft()
                        + " ok / " + (publisherMessages.failed() + subscriberMessages.failed()) + " failed";
            }
        }
    }

    /** {@value #BACKLOG_ROWS} rows of 200 bytes through node 1 while node 2 is down: the IST it will need. */
    private void writeBacklog(String database) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < BACKLOG_BATCH; i++) {
            values.append(i == 0 ? "" : ",").append("(REPEAT('x', 200))");
        }
        String insert = "INSERT INTO rejoin_backlog (pad) VALUES " + values;
        String[] statements = new String[BACKLOG_ROWS / BACKLOG_BATCH + 1];
        statements[0] = "CREATE TABLE `" + database + "`.rejoin_backlog (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                + "pad VARCHAR(255) NOT NULL)";
        java.util.Arrays.fill(statements, 1, statements.length, insert.replace("rejoin_backlog", "`" + database
                + "`.rejoin_backlog"));
        galera.sql(1, statements);
    }

    /** What was seen from the restart until the node was synced and the subscriber no longer REPLICATING_DATA. */
    record Rejoin(long syncedAfterMs, long notSyncedMs, boolean sawReplicatingData, List<String> states) {
    }

    private Rejoin watchRejoin(NodeProcess sub, long restartNs) {
        long deadline = restartNs + TimeUnit.SECONDS.toNanos(90);
        List<String> states = new ArrayList<>();
        long firstNotSyncedNs = 0;
        boolean replicating = false;
        while (System.nanoTime() < deadline) {
            String state;
            try {
                state = galera.isRunning(2) ? String.valueOf(galera.status(2, "wsrep_local_state_comment")) : "exited";
            } catch (SQLException e) {
                state = "unreachable";
            }
            String status = NodeProcess.status(sub.cluster(), "subscriber");
            replicating |= "REPLICATING_DATA".equals(status);
            String seen = state + "/" + status;
            if (states.isEmpty() || !states.get(states.size() - 1).equals(seen)) {
                states.add(seen);
            }
            if (!"Synced".equals(state) && !"unreachable".equals(state) && firstNotSyncedNs == 0) {
                firstNotSyncedNs = System.nanoTime();
            }
            if ("exited".equals(state)) {
                fail("Galera node 2 exited while rejoining:\n" + galera.logTail(2));
            }
            if ("Synced".equals(state) && !"REPLICATING_DATA".equals(status)) {
                long now = System.nanoTime();
                return new Rejoin(TimeUnit.NANOSECONDS.toMillis(now - restartNs),
                        firstNotSyncedNs == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - firstNotSyncedNs), replicating,
                        states);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new AssertionError("Galera node 2 not synced within 90 s of its restart: " + states + "\n"
                + galera.logTail(2));
    }

    /** The first column of the first row of {@code sql}, a count. */
    static long count(Statement st, String sql) {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Skips {@code test} without SIPp or Galera, but fails it in CI (CI=true) without SIPp. */
    static void requireSippAndGalera(String test) {
        if (!SippRun.onPath()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("sipp is not on PATH and CI=true: " + test + " must run in CI (install sip-tester)");
            }
            Assumptions.assumeTrue(false, "sipp is not on PATH: " + test + " is skipped");
        }
        GaleraCluster.requireOrSkip();
    }

    /** The engine's jar, built before the tests ({@code -Dvmport.jar} names another). */
    static Path engineJar() {
        Path jar = Path.of(System.getProperty("vmport.jar", "../engine/target/vmport.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            fail("no engine jar at " + jar + ": build it first (mvn -B package -pl engine -am -DskipTests)");
        }
        return jar;
    }

    private NodeProcess node(Path jar, Path work, String server, DatabaseSettings db, int peerListen,
                             int peerAddress) throws IOException {
        NodeProcess n = nodeProcess(jar, work, server, db.jdbcUrl(), db.user(), db.password(), peerListen,
                peerAddress);
        nodes.add(n);
        return n;
    }

    /** A {@code vmport node} process of a SIP-trunk cluster of {@value #PORTS} ports on {@code url}, not started. */
    static NodeProcess nodeProcess(Path jar, Path work, String server, String url, String user, String password,
                                   int peerListen, int peerAddress) throws IOException {
        Files.createDirectories(work);
        int sip = LoopbackPorts.freeUdpAndTcp();
        int admin = LoopbackPorts.freeTcp();
        return new NodeFile(server, HOST, "127.0.0.0/8", sip, admin, HOST + ":" + peerListen,
                HOST + ":" + peerAddress, url, user, password, PORTS, 2_000, HOST, 100, HEARTBEAT_TIMEOUT_MS)
                .process(jar, work);
    }

    /** {@code count} calls answered by the trunk, at {@value #RATE}/s held {@value #HOLD_MS} ms. */
    static SippRun.Result calls(NodeProcess node, String name, Path work, int count, int timeoutS)
            throws IOException, InterruptedException {
        return new SippRun(HOST, node.sipPort).scenario(scenario("basic-call.xml")).name(name).service("answer")
                .calls(count).rate(RATE).holdMs(HOLD_MS).timeoutSeconds(timeoutS).run(work.resolve("sipp"));
    }

    /** Voice messages for {@value #MAILBOX}, one after the other: greeting, 7 s of speech, # (MD-1..MD-4, MS-1). */
    static SippRun.Result messages(NodeProcess node, String name, Path work, int count, int timeoutS)
            throws IOException, InterruptedException {
        return new SippRun(HOST, node.sipPort).scenario(scenario("voice-message.xml")).name(name).service("5000")
                .calls(count).limit(1).holdMs((int) Greetings.greetingAndBeepMs(MAILBOX) + 700)
                .timeoutSeconds(timeoutS).extra("-mp", Integer.toString(LoopbackPorts.freeUdpAndTcp()))
                .run(work.resolve("sipp"));
    }

    static Path scenario(String name) {
        try {
            return Path.of(GaleraKillTest.class.getClassLoader().getResource("sipp/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("no test resource sipp/" + name, e);
        }
    }

    /** The SIPp run ended with every call successful, {@code expected} of them. */
    static void assertRun(String what, SippRun.Result r, long expected) {
        assertEquals(SippRun.ALL_CALLS_SUCCEEDED, r.exitCode(), what + ": " + r);
        assertEquals(0, r.failed(), what + ": " + r);
        assertEquals(expected, r.successful(), what + ": " + r);
    }
}
