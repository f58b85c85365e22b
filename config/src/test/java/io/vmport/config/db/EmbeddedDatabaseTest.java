package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server used by {@code vmport demo}: its own directory, data kept across restarts. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void secondStartOnTheSameDirectoryKeepsTheData() throws SQLException {
        try (EmbeddedDatabase db = EmbeddedDatabase.builder(dir).credentials("vmport", "s3cret'x").start()) {
            assertTrue(db.isRunning());
            System.out.println("embedded MariaDB first start (install included): " + db.startupMs() + " ms");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "vmport", "s3cret'x");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (x INT)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.builder(dir).credentials("vmport", "s3cret'x").start()) {
            System.out.println("embedded MariaDB restart on existing data: " + db.startupMs() + " ms");
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "vmport", "s3cret'x");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT x FROM kept")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
            assertFalse(Files.exists(dir.resolve("init.sql")), "the file holding the password is gone once started");
        }
    }

    @Test
    void aSecondServerOnARunningDirectoryIsRefused() {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(dir, 0));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(db.isRunning());
        }
    }

    /** A JVM killed with SIGKILL leaves its mariadbd running on the data; the next start stops it and goes on. */
    @Test
    void aServerLeftRunningByAKilledJvmIsStoppedOnTheNextStart() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanMaker.class.getName(), dir.toString()).redirectErrorStream(true).start();
        long orphanPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith(OrphanMaker.READY)) {
                // skip the child's log lines
            }
            assertTrue(line != null, "the child JVM ended before its database was ready");
            orphanPid = Long.parseLong(Files.readString(dir.resolve("mariadbd.pid")).trim());
            child.destroyForcibly().waitFor();
        }
        ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
        assertTrue(orphan.isAlive(), "mariadbd outlives the killed JVM");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            assertFalse(orphan.isAlive(), "the orphan was stopped");
            assertTrue(db.isRunning());
        }
    }

    /** Runs in a child JVM: starts a server on the directory given, says so, and waits to be killed. */
    static final class OrphanMaker {
        static final String READY = "ORPHAN-MAKER-READY";

        public static void main(String[] args) throws InterruptedException {
            EmbeddedDatabase.start(Path.of(args[0]), 0);
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void theUserCannotReachOtherDatabases() throws SQLException {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE vmport_extra");
            assertThrows(SQLException.class, () -> s.execute("CREATE DATABASE other"));
        }
    }
}
