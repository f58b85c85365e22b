package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.testing.Poll;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared database on a three-node MariaDB Galera cluster (issue 18, SPEC CL-2): each vmport node's pool on its
 * own Galera node first, the PRIMARY role's conditional update still a fencing token (ST-13) when the two pools
 * race through two different Galera nodes, and a write that loses certification run again.
 */
class GaleraPrimaryRoleTest {
    private static final int RACE_ROUNDS = 200;
    private static GaleraCluster galera;

    private Database publisherNode; // on Galera node 1 first
    private Database subscriberNode; // on Galera node 2 first

    @BeforeAll
    static void startGalera() {
        galera = GaleraCluster.start(Path.of("target", "galera-" + GaleraPrimaryRoleTest.class.getSimpleName()), 3);
    }

    @AfterAll
    static void stopGalera() {
        if (galera != null) {
            galera.close();
        }
    }

    @BeforeEach
    void twoNodesOnTwoGaleraNodes() {
        String database = galera.createDatabase();
        publisherNode = Database.open(galera.settings(database, 1));
        subscriberNode = Database.open(galera.settings(database, 2));
    }

    @AfterEach
    void close() {
        publisherNode.close();
        subscriberNode.close();
    }

    @Test
    void cl2_eachPoolIsOnItsOwnGaleraNode_andWhatOneWritesTheOtherReads() throws SQLException {
        assertEquals(galera.port(1), serverPort(publisherNode));
        assertEquals(galera.port(2), serverPort(subscriberNode));
        assertEquals(OptionalLong.of(1), publisherNode.primaryRole().tryTakePrimary(PUBLISHER, 0));
        // node 2 applies the replicated take a moment after node 1's commit: read it causally (wsrep_sync_wait)
        assertEquals(1, causalEpoch(subscriberNode), "replicated to node 2");
    }

    /** ST-13 on Galera: the existing epoch race, the two pools on two different Galera nodes; never two winners. */
    @Test
    void st13_epochRaceThroughTwoGaleraNodes_exactlyOneWinsEachRound() throws Exception {
        int publisherWins = PrimaryRoleRepositoryTest.assertEpochRace(publisherNode, subscriberNode, RACE_ROUNDS);
        assertTrue(publisherWins > 0 && publisherWins < RACE_ROUNDS,
                "both nodes won some rounds (a race, not a sequence): publisher won " + publisherWins);
    }

    /** ST-13: a take-over through node 2 fences the old holder's writes through node 1. */
    @Test
    void st13_aFencedWriteThroughAnotherGaleraNodeWithAStaleEpochIsRefused() throws Exception {
        long old = publisherNode.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();
        // the subscriber's node applies the replicated take a moment after its commit; a take-over at an epoch
        // the node has not seen yet is refused, as it must be, so wait until it has seen it
        Poll.await("epoch " + old + " replicated to the subscriber's Galera node", 10_000,
                () -> subscriberNode.primaryRole().current().epoch() == old,
                () -> "the subscriber's node reads " + subscriberNode.primaryRole().current());
        long now = subscriberNode.primaryRole().tryTakeOver(SUBSCRIBER, old, 0, 0).orElseThrow();

        StaleEpochException refused = assertThrows(StaleEpochException.class,
                () -> publisherNode.primaryRole().fenced("raise a test alarm", old, c -> insertAlarm(c, "stale")));
        assertEquals(now, refused.currentEpoch());
        assertEquals(Integer.valueOf(1), subscriberNode.primaryRole().fenced("raise a test alarm", now, c -> insertAlarm(c, "fresh")));
        // read through the other node, which applies the replicated write a moment later: only "fresh" ever arrives
        Poll.await("the fresh alarm, and no stale one, read through the publisher's Galera node", 10_000,
                () -> List.of("fresh").equals(alarmIds(publisherNode)), () -> "alarms: " + alarmIds(publisherNode));
    }

    private static List<String> alarmIds(Database node) {
        return node.alarms().newest(10).stream().map(AlarmRow::id).toList();
    }

    /**
     * A write that loses certification to a conflicting write of another Galera node (error 1213) is run again:
     * both nodes add to the same row at once, many times, and no addition is lost or refused.
     */
    @Test
    void st13_certificationConflictsAreRunAgain_noWriteLost() throws Exception {
        int each = 100;
        Thread a = new Thread(() -> bump(publisherNode, PUBLISHER, each));
        Thread b = new Thread(() -> bump(subscriberNode, SUBSCRIBER, each));
        a.start();
        b.start();
        a.join(120_000);
        b.join(120_000);
        assertEquals(2 * each, causalEpoch(publisherNode), "every conditional take of both nodes counted once");
        assertEquals(2 * each, causalEpoch(subscriberNode));
    }

    /** Takes the role {@code times} times, each time at the epoch just read: a read-then-conditional-update loop. */
    private static void bump(Database node, ServerName me, int times) {
        int done = 0;
        while (done < times) {
            long epoch = node.primaryRole().current().epoch();
            if (node.primaryRole().tryTakePrimary(me, epoch).isPresent()) {
                done++;
            }
        }
    }

    /** The epoch as its node reads it once it has applied everything committed before (wsrep_sync_wait). */
    private static long causalEpoch(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = st.executeQuery("SELECT epoch FROM primary_role WHERE id = 1")) {
                rs.next();
                long epoch = rs.getLong(1);
                st.execute("SET SESSION wsrep_sync_wait = 0");
                return epoch;
            }
        }
    }

    private static int serverPort(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int insertAlarm(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO alarm (id, raised_at_ms, server, name, detail) VALUES (?, 1, 'publisher', 'Test', '')")) {
            ps.setString(1, id);
            return ps.executeUpdate();
        }
    }
}
