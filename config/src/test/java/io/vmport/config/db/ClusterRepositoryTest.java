package io.vmport.config.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterSettings;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC CL-2, CL-3: the cluster is created once, by whichever node starts first on an empty database. */
class ClusterRepositoryTest {
    private static final ClusterSettings CIRCULAR = new ClusterSettings(true, true, 60_000, false, 10_000, false,
            HuntOrder.CIRCULAR, 500, 3_000, 3_000, false, List.of("127.0.0.1"));

    private DatabaseSettings shared;
    private Database db;

    @BeforeEach
    void open() {
        shared = TestDatabase.freshDatabase();
        db = Database.open(shared);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void cl2_anEmptyDatabaseHasNoCluster() {
        assertTrue(db.cluster().find().isEmpty());
        assertTrue(db.clusterSettings().load().isEmpty());
    }

    @Test
    void cl2_createIfAbsentCreatesOnceAndThenReturnsTheStoredCluster() {
        ClusterRow created = db.cluster().createIfAbsent(Integration.SIP_TRUNK, 16, CIRCULAR, 1_000);

        assertEquals(new ClusterRow(Integration.SIP_TRUNK, 16, 1_000, CIRCULAR), created);
        assertEquals(HuntOrder.CIRCULAR, created.huntOrder());

        ClusterRow again = db.cluster().createIfAbsent(Integration.SCCP, 4, ClusterSettings.defaults(), 2_000);
        assertEquals(created, again, "the second configuration is ignored");
        assertEquals(created, db.cluster().find().orElseThrow());
        assertEquals(CIRCULAR, db.clusterSettings().load().orElseThrow());
    }

    @Test
    void createIfAbsentRefusesBadArgumentsBeforeWriting() {
        assertThrows(IllegalArgumentException.class,
                () -> db.cluster().createIfAbsent(Integration.PIMG, 0, CIRCULAR, 1));
        assertTrue(db.cluster().find().isEmpty());
    }

    /** CL-3: both nodes start together on an empty database, each with its own pool and its own configuration. */
    @Test
    void cl3_createIfAbsentFromTwoNodesAtOnceCreatesExactlyOneCluster() throws Exception {
        try (Database other = Database.open(shared)) {
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 20; round++) {
                    clear();
                    long at = round;
                    Future<ClusterRow> a = nodes.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        return db.cluster().createIfAbsent(Integration.SIP_TRUNK, 16, CIRCULAR, at);
                    });
                    Future<ClusterRow> b = nodes.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        return other.cluster().createIfAbsent(Integration.PIMG, 8, ClusterSettings.defaults(), at);
                    });
                    ClusterRow fromA = a.get(30, TimeUnit.SECONDS);
                    ClusterRow fromB = b.get(30, TimeUnit.SECONDS);
                    assertEquals(fromA, fromB, "round " + round + ": both nodes see the same cluster");
                    assertEquals(fromA, db.cluster().find().orElseThrow());
                    assertEquals(1, count("cluster"));
                    assertEquals(1, count("cluster_settings"));
                }
            } finally {
                nodes.shutdownNow();
            }
        }
    }

    private void clear() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM cluster_settings");
            s.executeUpdate("DELETE FROM cluster");
        }
    }

    private long count(String table) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
