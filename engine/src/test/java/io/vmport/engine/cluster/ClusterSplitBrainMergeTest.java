package io.vmport.engine.cluster;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ST-12, MW-3: split-brain recovery ends when both sides' merges are done, so that the new PRIMARY's MWI read holds
 * the messages both sides kept. Two nodes' domains, heartbeats delivered by the test, a stepped clock.
 */
class ClusterSplitBrainMergeTest {

    private final DomainFixture p = DomainFixture.started(PUBLISHER, Integration.SIP_TRUNK, 8, ClusterSettings.defaults());
    private final DomainFixture s = DomainFixture.started(SUBSCRIBER, Integration.SIP_TRUNK, 8, ClusterSettings.defaults());

    /** Both PRIMARY while apart, then the link back: both SPLIT_BRAIN_RECOVERY, merges asked for. */
    private long splitAndHeal() {
        for (DomainFixture f : List.of(p, s)) {
            f.peerAlive = false;
            f.advanceMs(3_000);
            f.cluster.onNetworkCheckResult(true, f.now);
            assertEquals(PRIMARY, f.cluster.status(f.cluster.self()));
        }
        ClusterFailoverTest.exchange(p, s);
        ClusterFailoverTest.exchange(p, s); // the epochs meet
        for (DomainFixture f : List.of(p, s)) {
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(PUBLISHER), f.cluster.toString());
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(SUBSCRIBER), f.cluster.toString());
            assertTrue(f.drainEffects().contains(Effect.MERGE_DATA));
            f.alarms.clear();
        }
        assertEquals(p.cluster.epoch(), s.cluster.epoch());
        return p.cluster.epoch();
    }

    /** Steps both clocks by {@code ms} in heartbeat intervals, one heartbeat each way and a tick per step. */
    private void runLinked(long ms) {
        long step = p.cluster.settings().heartbeatIntervalMs();
        for (long t = 0; t < ms; t += step) {
            p.now += step * DomainFixture.MS;
            s.now = p.now;
            ClusterFailoverTest.exchange(p, s);
            p.cluster.onTick(p.now);
            s.cluster.onTick(s.now);
        }
    }

    private void assertResolvedOnBoth(long epoch) {
        for (DomainFixture f : List.of(p, s)) {
            assertEquals(PRIMARY, f.cluster.status(PUBLISHER), f.cluster.toString());
            assertEquals(SECONDARY, f.cluster.status(SUBSCRIBER), f.cluster.toString());
            assertEquals(epoch, f.cluster.epoch(), "one new epoch for the end of the recovery: " + f.cluster);
            assertFalse(f.cluster.mergeDone());
        }
    }

    @Test
    void st12_publisherMergeDone_subscriberNot_bothStayInRecovery_thenBothDone_oneNewEpoch() {
        long epoch = splitAndHeal();
        p.cluster.onMergeCompleted(p.now);
        assertTrue(p.cluster.mergeDone(), "its heartbeats say so");
        runLinked(5_000);
        for (DomainFixture f : List.of(p, s)) {
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(PUBLISHER), "the subscriber's data is not merged yet");
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(SUBSCRIBER));
        }
        assertFalse(p.mayDoPrimaryWork(), "no MW-3 read before the subscriber's messages are stored");

        s.cluster.onMergeCompleted(s.now);
        assertEquals(SPLIT_BRAIN_RECOVERY, s.cluster.status(SUBSCRIBER), "the subscriber waits for the publisher");
        ClusterFailoverTest.exchange(p, s);
        assertResolvedOnBoth(epoch + 1);
        assertTrue(p.mayDoPrimaryWork());
        assertEquals(0, p.count(AlarmName.SbrFailed) + s.count(AlarmName.SbrFailed));
    }

    @Test
    void st12_subscriberMergesFirst_staysInRecoveryUntilThePublisherIsPrimary() {
        long epoch = splitAndHeal();
        s.cluster.onMergeCompleted(s.now);
        runLinked(2_000);
        for (DomainFixture f : List.of(p, s)) {
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(PUBLISHER), "the publisher's data is not merged yet");
            assertEquals(SPLIT_BRAIN_RECOVERY, f.cluster.status(SUBSCRIBER), f.cluster.toString());
        }
        p.cluster.onMergeCompleted(p.now);
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER), "the subscriber's merge was done already");
        ClusterFailoverTest.exchange(p, s);
        assertResolvedOnBoth(epoch + 1);
    }

    @Test
    void st12_subscriberThatResolvesByItself_isFollowedOnlyOnceThePublishersMergeIsDone() {
        // a subscriber of an older version leaves recovery on its own merge, without the heartbeat flag
        long epoch = splitAndHeal();
        p.cluster.onPeerHeartbeat(SECONDARY, PRIMARY, epoch + 1, true, p.now);
        assertEquals(SPLIT_BRAIN_RECOVERY, p.cluster.status(PUBLISHER), "its own messages are not stored yet");
        p.cluster.onPeerHeartbeat(SECONDARY, PRIMARY, epoch + 1, true, p.now);
        assertEquals(SPLIT_BRAIN_RECOVERY, p.cluster.status(PUBLISHER));
        p.cluster.onMergeCompleted(p.now);
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, p.cluster.status(SUBSCRIBER));
        assertEquals(epoch + 1, p.cluster.epoch(), "the subscriber's epoch is adopted");
    }

    @Test
    void st12_peerLostWhileWaiting_confirmedSilence_publisherPrimary() {
        splitAndHeal();
        p.cluster.onMergeCompleted(p.now);
        assertEquals(SPLIT_BRAIN_RECOVERY, p.cluster.status(PUBLISHER));
        p.cluster.onPeerLost(p.now);
        p.cluster.onNetworkCheckResult(true, p.now);
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
        assertEquals(NOT_FUNCTIONING, p.cluster.status(SUBSCRIBER));
    }

    @Test
    void st12_peerLostBeforeOwnMergeDone_notWaitedFor() {
        splitAndHeal();
        p.cluster.onPeerLost(p.now);
        assertEquals(SPLIT_BRAIN_RECOVERY, p.cluster.status(PUBLISHER));
        p.cluster.onMergeCompleted(p.now);
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER), "no heartbeat can say the peer's merge is done");
    }

    @Test
    void st12_peerNeverSaysItsMergeIsDone_publisherResolvesAfterTheMergeBudget_SbrFailed() {
        long epoch = splitAndHeal();
        long budgetMs = Cluster.mergeBudgetMs(p.cluster.settings());
        p.cluster.onMergeCompleted(p.now);
        long step = p.cluster.settings().heartbeatIntervalMs();
        for (long t = step; t < budgetMs; t += step) { // the subscriber is alive, still merging
            p.now += step * DomainFixture.MS;
            p.cluster.onPeerHeartbeat(SPLIT_BRAIN_RECOVERY, SPLIT_BRAIN_RECOVERY, epoch, true, false, p.now);
            p.cluster.onTick(p.now);
        }
        assertEquals(SPLIT_BRAIN_RECOVERY, p.cluster.status(PUBLISHER), "within the budget it waits");
        assertEquals(0, p.count(AlarmName.SbrFailed));
        p.now += step * DomainFixture.MS;
        p.cluster.onTick(p.now);
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
        assertEquals(SECONDARY, p.cluster.status(SUBSCRIBER));
        assertEquals(epoch + 1, p.cluster.epoch());
        assertEquals(1, p.count(AlarmName.SbrFailed));
        String detail = p.alarms(AlarmName.SbrFailed).get(0).detail();
        assertTrue(detail.contains("did not report its split-brain merge done within " + budgetMs + " ms"), detail);
    }

    @Test
    void st12_mergeFailed_stillResolvesAtOnce() {
        splitAndHeal();
        p.cluster.onMergeFailed("database unreachable", p.now);
        assertEquals(PRIMARY, p.cluster.status(PUBLISHER));
        assertEquals(1, p.count(AlarmName.SbrFailed));
    }
}
