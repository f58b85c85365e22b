package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The versioned schema (SPEC CL-2): applies on an empty database, once, whoever starts first (CL-3). */
class MigrationsTest {

    @Test
    void migrationsApplyOnAnEmptyDatabaseAndAreIdempotent() throws SQLException {
        DatabaseSettings empty = TestDatabase.emptyDatabase();

        Migrations.Result first = Migrations.apply(empty);
        Migrations.Result second = Migrations.apply(empty);

        assertTrue(first.applied() >= 1, "applied " + first.applied());
        assertEquals(0, second.applied());
        assertEquals(first.version(), second.version());
        assertEquals(List.of("alarm", "call_record", "cluster", "cluster_settings", "flyway_schema_history",
                "mailbox", "message", "port", "primary_role", "server"), tables(empty));
        try (Database db = Database.open(empty)) {
            PrimaryRoleRow role = db.primaryRole().current();
            assertNull(role.holder());
            assertEquals(0, role.epoch());
        }
    }

    @Test
    void cl3_twoNodesOpeningAnEmptyDatabaseTogetherMigrateItOnce() throws Exception {
        DatabaseSettings empty = TestDatabase.emptyDatabase();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<Database>> opened = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                opened.add(nodes.submit(() -> {
                    start.await();
                    return Database.open(empty);
                }));
            }
            for (Future<Database> f : opened) {
                try (Database db = f.get()) {
                    assertEquals(0, db.primaryRole().current().epoch());
                }
            }
        } finally {
            nodes.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(empty.jdbcUrl(), empty.user(), empty.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    private static List<String> tables(DatabaseSettings settings) throws SQLException {
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = DATABASE() ORDER BY table_name")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
            }
            return names;
        }
    }
}
