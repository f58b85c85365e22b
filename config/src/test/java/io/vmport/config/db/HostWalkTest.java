package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.HostPort;
import io.vmport.config.JdbcUrl;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * BI-4 (issue 18): the pool's host walk over the test database reached under two names, {@code 127.0.0.1} (host 1,
 * the "own node") and {@code localhost} (host 2), and a host that accepts TCP and never answers (a database host
 * gone silent without closing connections). Time is stepped for the holds.
 */
class HostWalkTest {
    private static final long SOCKET_TIMEOUT_MS = 1_500;
    private static final DatabaseSettings DB = TestDatabase.freshDatabase();
    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void bi4_ownNodeSilent_abortsAStatementHungOnIt_andNewConnectionsGoToTheNextHostUntilItAnswersSynced()
            throws Exception {
        JdbcUrl db = JdbcUrl.parse("test", DB.jdbcUrl());
        HostPort server = db.hosts().get(0);
        HostWalk walk = walk(new JdbcUrl(List.of(new HostPort("127.0.0.1", server.port()),
                new HostPort("localhost", server.port())), db.database(), db.options()));

        Connection own = open(walk);
        assertArrayEquals(new int[] {1, 0}, walk.openPerHost(), "the own node first");
        // a statement waiting on the own node, as a writer's read waits on a host that went silent
        CompletableFuture<Long> hung = CompletableFuture.supplyAsync(() -> {
            long startNs = System.nanoTime();
            try (Statement st = own.createStatement()) {
                st.execute("SELECT SLEEP(30)");
                return -1L;
            } catch (SQLException e) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            }
        });
        awaitRunning(own);
        long silentNs = System.nanoTime();
        walk.silent(new SQLException("test: status read unanswered"));
        long abortedAfterMs = hung.get(5, TimeUnit.SECONDS);
        assertTrue(abortedAfterMs >= 0 && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentNs) < 1_000,
                "the hung statement ends at once, not at the socket timeout: " + abortedAfterMs + " ms");
        assertTrue(own.isClosed(), "its connection is closed");

        open(walk);
        assertArrayEquals(new int[] {0, 1}, walk.openPerHost(), "held: new connections go to the next host");
        walk.answered(false);
        open(walk);
        assertArrayEquals(new int[] {0, 2}, walk.openPerHost(), "answering but not Synced: still held");
        walk.answered(true);
        open(walk);
        assertArrayEquals(new int[] {1, 2}, walk.openPerHost(), "Synced: back to the own node");
    }

    @Test
    void bi4_aHostThatAcceptsAndNeverAnswers_costsOneSocketTimeout_thenIsSkippedForTheHold() throws Exception {
        JdbcUrl db = JdbcUrl.parse("test", DB.jdbcUrl());
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        closing.add(silent);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept()); // held open, never written to
                }
            } catch (Exception closed) {
                // the test ends
            }
        }, "silent-host");
        acceptor.setDaemon(true);
        acceptor.start();
        HostWalk walk = walk(new JdbcUrl(List.of(new HostPort("127.0.0.1", silent.getLocalPort()),
                db.hosts().get(0)), db.database(), db.options()));

        long firstMs = timeMs(() -> open(walk));
        assertTrue(firstMs >= SOCKET_TIMEOUT_MS - 100 && firstMs < SOCKET_TIMEOUT_MS + 2_000,
                "the silent host's greeting is waited for once, for the socket timeout: " + firstMs + " ms");
        assertArrayEquals(new int[] {0, 1}, walk.openPerHost());
        long secondMs = timeMs(() -> open(walk));
        assertTrue(secondMs < SOCKET_TIMEOUT_MS / 2, "held down: skipped at once, " + secondMs + " ms");
        nowMs.addAndGet(HostWalk.DOWN_HOLD_MS);
        long afterHoldMs = timeMs(() -> open(walk));
        assertTrue(afterHoldMs >= SOCKET_TIMEOUT_MS - 100, "tried again after the hold: " + afterHoldMs + " ms");
        assertArrayEquals(new int[] {0, 3}, walk.openPerHost());
    }

    @Test
    void bi4_everyHostHeldDown_allAreTriedAnyway() throws Exception {
        JdbcUrl db = JdbcUrl.parse("test", DB.jdbcUrl());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        HostWalk walk = walk(new JdbcUrl(List.of(db.hosts().get(0), new HostPort("127.0.0.1", closedPort)),
                db.database(), db.options()));
        walk.silent(new SQLException("test"));
        // host 2 refuses (and is held for the hold); host 1, held as silent, is tried anyway, and it answers
        open(walk);
        assertArrayEquals(new int[] {1, 0}, walk.openPerHost(), "the held own node, tried when nothing else is");
        assertThrows(IllegalArgumentException.class, () -> walk(new JdbcUrl(List.of(db.hosts().get(0)),
                db.database(), db.options())), "one host: no walk");
    }

    private HostWalk walk(JdbcUrl url) throws SQLException {
        DatabaseSettings s = DB;
        Properties p = new Properties();
        p.setProperty("user", s.user());
        p.setProperty("password", s.password());
        p.setProperty("connectTimeout", "1000");
        p.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_MS));
        return new HostWalk(url, p, new com.mysql.cj.jdbc.Driver(), nowMs::get);
    }

    private Connection open(HostWalk walk) throws SQLException {
        Connection c = walk.getConnection();
        closing.add(c);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
        return c;
    }

    /** Waits until the server runs a statement on {@code c}'s session (its SLEEP). */
    private static void awaitRunning(Connection c) throws Exception {
        long id;
        try (Connection probe = java.sql.DriverManager.getConnection(DB.jdbcUrl(), DB.user(),
                DB.password())) {
            id = c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
            io.vmport.config.testing.Poll.await("the SLEEP runs", 5_000, () -> {
                try (Statement st = probe.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id
                                + " AND INFO LIKE 'SELECT SLEEP%'")) {
                    return rs.next() && rs.getLong(1) == 1;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, () -> "connection " + id);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long timeMs(Step step) throws Exception {
        long startNs = System.nanoTime();
        step.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
