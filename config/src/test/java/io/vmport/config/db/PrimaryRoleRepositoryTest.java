package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC ST-13: the PRIMARY role is taken with a monotonically increasing epoch that fences primary-only writes. */
class PrimaryRoleRepositoryTest {
    private static final int RACE_ROUNDS = 200;

    private DatabaseSettings shared;
    private Database publisherNode;
    private Database subscriberNode;

    @BeforeEach
    void twoNodesOnOneDatabase() {
        shared = TestDatabase.freshDatabase();
        publisherNode = Database.open(shared);   // each node has its own pool, as two servers do
        subscriberNode = Database.open(shared);
    }

    @AfterEach
    void close() {
        publisherNode.close();
        subscriberNode.close();
    }

    @Test
    void st13_noPrimaryAtFirstThenEachTakeAddsOneToTheEpoch() {
        PrimaryRoleRow initial = publisherNode.primaryRole().current();
        assertNull(initial.holder());
        assertEquals(0, initial.epoch());

        assertEquals(OptionalLong.of(1), publisherNode.primaryRole().tryTakePrimary(PUBLISHER, 0));
        PrimaryRoleRow taken = subscriberNode.primaryRole().current();
        assertTrue(taken.isHeldBy(PUBLISHER));
        assertEquals(1, taken.epoch());
        assertTrue(taken.changedAtMs() > 0);

        assertEquals(OptionalLong.of(2), subscriberNode.primaryRole().tryTakePrimary(SUBSCRIBER, 1));
        assertEquals(new PrimaryRoleRow(SUBSCRIBER, 2, publisherNode.primaryRole().current().changedAtMs()),
                publisherNode.primaryRole().current());
    }

    @Test
    void st13_takingWithAnOutdatedEpochFailsAndChangesNothing() {
        publisherNode.primaryRole().tryTakePrimary(PUBLISHER, 0);

        assertEquals(OptionalLong.empty(), subscriberNode.primaryRole().tryTakePrimary(SUBSCRIBER, 0));
        assertEquals(OptionalLong.empty(), subscriberNode.primaryRole().tryTakePrimary(SUBSCRIBER, 7));

        PrimaryRoleRow role = subscriberNode.primaryRole().current();
        assertTrue(role.isHeldBy(PUBLISHER));
        assertEquals(1, role.epoch());
    }

    /**
     * ST-13 (and ST-2: one PRIMARY): both nodes, each through its own pool, try to take the role for the same
     * expected epoch at the same moment, round after round. Exactly one wins each round and the epoch grows by
     * exactly one per round.
     */
    @Test
    void st13_epochRace_exactlyOneNodeWinsEachRoundAndTheEpochGrowsByOne() throws Exception {
        assertEpochRace(publisherNode, subscriberNode, RACE_ROUNDS);
    }

    /**
     * The epoch race of ST-13 between two pools, {@code rounds} rounds from epoch 0: exactly one pool wins each
     * round, at the epoch the round expects plus one; the epoch is {@code rounds} at the end. Also run with the
     * pools on two different Galera nodes ({@code GaleraPrimaryRoleTest}).
     *
     * @return how many rounds the publisher won
     */
    static int assertEpochRace(Database publisherNode, Database subscriberNode, int rounds) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            Future<long[]> publisherResults = nodes.submit(() -> race(publisherNode, PUBLISHER, together, rounds));
            Future<long[]> subscriberResults = nodes.submit(() -> race(subscriberNode, SUBSCRIBER, together, rounds));
            long[] byPublisher = publisherResults.get(120, TimeUnit.SECONDS);
            long[] bySubscriber = subscriberResults.get(120, TimeUnit.SECONDS);

            int publisherWins = 0;
            for (int round = 0; round < rounds; round++) {
                boolean publisherWon = byPublisher[round] != 0;
                boolean subscriberWon = bySubscriber[round] != 0;
                assertTrue(publisherWon ^ subscriberWon, "round " + round + ": publisher got " + byPublisher[round]
                        + ", subscriber got " + bySubscriber[round] + " (0 = lost); exactly one must win");
                assertEquals(round + 1, publisherWon ? byPublisher[round] : bySubscriber[round],
                        "round " + round + ": the winner's epoch");
                publisherWins += publisherWon ? 1 : 0;
            }
            System.out.println("epoch race: publisher won " + publisherWins + " of " + rounds + " rounds");
            assertEquals(rounds, publisherNode.primaryRole().current().epoch());
            assertEquals(rounds, subscriberNode.primaryRole().current().epoch());
            return publisherWins;
        } finally {
            nodes.shutdownNow();
        }
    }

    /** Each round: wait for the other node, try to take the role for epoch = round; 0 in the result = lost. */
    private static long[] race(Database node, ServerName me, CyclicBarrier together, int rounds) throws Exception {
        long[] won = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            together.await(30, TimeUnit.SECONDS);
            won[round] = node.primaryRole().tryTakePrimary(me, round).orElse(0);
            together.await(30, TimeUnit.SECONDS); // both finished this round before either starts the next
        }
        return won;
    }

    @Test
    void st13_aFencedWriteWithAStaleEpochIsRefusedAndWritesNothing() throws Exception {
        long publisherEpoch = publisherNode.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();
        long subscriberEpoch = subscriberNode.primaryRole().tryTakePrimary(SUBSCRIBER, publisherEpoch).orElseThrow();

        StaleEpochException refused = assertThrows(StaleEpochException.class,
                () -> publisherNode.primaryRole().fenced("raise a test alarm", publisherEpoch,
                        c -> insertAlarm(c, "from-old-primary")));
        assertEquals(publisherEpoch, refused.heldEpoch());
        assertEquals(subscriberEpoch, refused.currentEpoch());
        assertEquals(SUBSCRIBER, refused.currentHolder());
        assertTrue(refused.getMessage().contains("epoch 1") && refused.getMessage().contains("epoch is 2"),
                refused.getMessage());
        assertFalse(publisherNode.primaryRole().tryFenced("raise a test alarm", publisherEpoch,
                c -> insertAlarm(c, "from-old-primary-2")));
        assertEquals(0, publisherNode.alarms().count());

        int written = subscriberNode.primaryRole().fenced("raise a test alarm", subscriberEpoch,
                c -> insertAlarm(c, "from-new-primary"));
        assertEquals(1, written);
        assertEquals(List.of("from-new-primary"),
                publisherNode.alarms().newest(10).stream().map(AlarmRow::id).toList());
    }

    @Test
    void st13_aFencedWriteThatFailsIsRolledBack() throws Exception {
        long epoch = publisherNode.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();

        assertThrows(DatabaseException.class, () -> publisherNode.primaryRole().fenced("write twice", epoch, c -> {
            insertAlarm(c, "twice");
            return insertAlarm(c, "twice"); // duplicate key: the whole write is rolled back
        }));

        assertEquals(0, publisherNode.alarms().count());
    }

    @Test
    void st13_fencedRepositoryWritesCarryTheEpoch() throws Exception {
        long oldEpoch = publisherNode.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();
        subscriberNode.servers().upsert(new ServerRow(SUBSCRIBER, "sub", 5062, 8081, "SECONDARY", true, 1));
        long newEpoch = subscriberNode.primaryRole().tryTakePrimary(SUBSCRIBER, oldEpoch).orElseThrow();

        assertThrows(StaleEpochException.class,
                () -> publisherNode.servers().updateStatus(SUBSCRIBER, "DEACTIVATED", 2, oldEpoch));
        assertEquals("SECONDARY", publisherNode.servers().find(SUBSCRIBER).orElseThrow().status());

        assertTrue(subscriberNode.servers().updateStatus(SUBSCRIBER, "PRIMARY", 3, newEpoch));
        assertEquals("PRIMARY", publisherNode.servers().find(SUBSCRIBER).orElseThrow().status());
        assertFalse(subscriberNode.servers().updateStatus(PUBLISHER, "SECONDARY", 3, newEpoch), "no publisher row yet");
    }

    @Test
    void st13_aTakeOverWaitsForTheHoldersLeaseToGoStale_andRenewalKeepsItFresh() throws SQLException {
        PrimaryRoleRepository pub = publisherNode.primaryRole();
        PrimaryRoleRepository sub = subscriberNode.primaryRole();
        assertEquals(OptionalLong.of(1), pub.tryTakePrimary(PUBLISHER, 0));
        assertTrue(sub.lease().ageMs() < 60_000, sub.lease().toString());

        assertEquals(OptionalLong.empty(), sub.tryTakeOver(SUBSCRIBER, 1, 0, 60_000), "the holder's lease is fresh");
        assertEquals(1, sub.current().epoch());

        ageLease(120_000);
        assertTrue(sub.lease().ageMs() >= 120_000, sub.lease().toString());
        assertTrue(pub.renew(PUBLISHER, 1), "the holder renews at its epoch");
        assertTrue(sub.lease().ageMs() < 60_000, "renewed: " + sub.lease());
        assertFalse(sub.renew(SUBSCRIBER, 1), "only the holder renews");
        assertFalse(pub.renew(PUBLISHER, 0), "only at the epoch it holds");

        ageLease(120_000);
        assertEquals(OptionalLong.of(7), sub.tryTakeOver(SUBSCRIBER, 1, 7, 60_000),
                "stale: taken, at an epoch newer than any the taker saw");
        assertEquals(new PrimaryRoleRow(SUBSCRIBER, 7, sub.current().changedAtMs()), pub.current());
        assertFalse(pub.renew(PUBLISHER, 1), "the old holder's renewal is refused: it must stop primary work");
        assertEquals(OptionalLong.empty(), pub.tryTakeOver(PUBLISHER, 1, 0, 0), "a stale expected epoch loses");
        assertEquals(OptionalLong.of(8), pub.tryTakeOver(PUBLISHER, 7, 0, 0), "0 ms: no lease check (peer agrees)");
    }

    /** Moves the holder's last renewal {@code ms} into the past, as if it had stopped renewing. */
    private void ageLease(long ms) throws SQLException {
        try (Connection c = publisherNode.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE primary_role SET changed_at_ms = changed_at_ms - ? WHERE id = 1")) {
            ps.setLong(1, ms);
            ps.executeUpdate();
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
