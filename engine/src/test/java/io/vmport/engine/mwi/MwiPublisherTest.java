package io.vmport.engine.mwi;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterSettings;
import io.vmport.config.ServerName;
import io.vmport.config.db.MailboxCountsRow;
import io.vmport.engine.cluster.Alarm;
import io.vmport.engine.cluster.AlarmName;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.sip.MwiState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** MW-1 (PRIMARY only, both during split brain), MW-2's alarm and MW-3 (all once on becoming PRIMARY), no sockets. */
class MwiPublisherTest {

    /** Records what it is asked to send. */
    private static final class FakeSender implements MwiSender {
        final List<MwiState> sent = new ArrayList<>();
        final List<List<MwiState>> bulks = new ArrayList<>();
        int drops;

        @Override
        public void send(MwiState state) {
            sent.add(state);
        }

        @Override
        public void sendAll(Collection<MwiState> states) {
            bulks.add(List.copyOf(states));
        }

        @Override
        public void dropPending() {
            drops++;
        }
    }

    private final FakeSender sender = new FakeSender();
    private final List<Alarm> alarms = new ArrayList<>();
    private final List<MailboxCountsRow> store = new ArrayList<>(List.of(new MailboxCountsRow("1001", 1, 0),
            new MailboxCountsRow("1002", 0, 3)));
    private static final long RECONCILE_MS = 30_000;
    private ClusterView view;
    private long nowNs = 1_000;

    /** The store's counts, as the node's {@link DatabaseMailboxStates} reads them. */
    private final MailboxStates states = new MailboxStates() {
        @Override
        public void readAll(Consumer<List<MailboxCountsRow>> use) {
            use.accept(List.copyOf(store));
        }

        @Override
        public void read(String extension, Consumer<MailboxCountsRow> use) {
            store.stream().filter(c -> c.extension().equals(extension)).findFirst().ifPresent(use);
        }
    };

    private MwiPublisher publisher(ServerName self) {
        return new MwiPublisher(self, () -> view, sender, states, RECONCILE_MS);
    }

    private static ClusterView view(ServerName self, ServerStatus publisher, ServerStatus subscriber, long epoch) {
        return new ClusterView(self, List.of(new ClusterView.Server(PUBLISHER, publisher, true, epoch),
                new ClusterView.Server(SUBSCRIBER, subscriber, true, epoch)), epoch,
                publisher == PRIMARY ? PUBLISHER : subscriber == PRIMARY ? SUBSCRIBER : null, true, 0,
                ClusterSettings.defaults(), 0, 0, false);
    }

    /** As {@link #view(ServerName, ServerStatus, ServerStatus, long)}, the publisher having entered its status at
     *  {@code publisherSince} (a later epoch than that while it stays: the role check after Make Primary). */
    private static ClusterView viewSince(ServerName self, ServerStatus publisher, long publisherSince, long epoch) {
        return new ClusterView(self, List.of(new ClusterView.Server(PUBLISHER, publisher, true, publisherSince),
                new ClusterView.Server(SUBSCRIBER, SECONDARY, true, epoch)), epoch, PUBLISHER, true, 0,
                ClusterSettings.defaults(), 0, 0, false);
    }

    private void stepMs(MwiPublisher p, long ms) {
        nowNs += ms * 1_000_000L;
        p.check(nowNs);
    }

    private void step(MwiPublisher p) {
        nowNs += 500_000_000L;
        p.check(nowNs);
    }

    /**
     * MW-1, ST-12: the split brain's database comes back while this server, PRIMARY when it began to read every
     * mailbox (blocked on the unreachable database), has meanwhile gone through SPLIT_BRAIN_RECOVERY to SECONDARY:
     * what it read is not sent, and it sends nothing after (seen in PartitionTest: a NOTIFY from the SECONDARY).
     */
    @Test
    void mw1AReadThatOutlivesThePrimaryTermIsNotSent() {
        view = view(SUBSCRIBER, PRIMARY, PRIMARY, 4);
        MwiPublisher subscriber = new MwiPublisher(SUBSCRIBER, () -> view, sender, new MailboxStates() {
            @Override
            public void readAll(Consumer<List<MailboxCountsRow>> use) {
                view = view(SUBSCRIBER, SPLIT_BRAIN_RECOVERY, SPLIT_BRAIN_RECOVERY, 5); // while the read blocked
                view = view(SUBSCRIBER, PRIMARY, SECONDARY, 6);
                use.accept(List.copyOf(store));
            }

            @Override
            public void read(String extension, Consumer<MailboxCountsRow> use) {
                states.read(extension, use);
            }
        }, RECONCILE_MS);
        step(subscriber);
        step(subscriber);
        assertTrue(sender.bulks.isEmpty(), sender.bulks.toString());
        assertTrue(sender.sent.isEmpty(), sender.sent.toString());
    }

    @Test
    void mw1SecondarySendsNothing() {
        MwiPublisher subscriber = publisher(SUBSCRIBER);
        view = view(SUBSCRIBER, PRIMARY, SECONDARY, 3);
        step(subscriber);
        assertFalse(subscriber.mailboxChanged("1001", 2, 0));
        step(subscriber);
        assertTrue(sender.sent.isEmpty());
        assertTrue(sender.bulks.isEmpty());
        assertEquals(1, subscriber.notPrimaryDropped());
    }

    @Test
    void mw1PrimaryForwardsEveryChange() {
        MwiPublisher primary = publisher(PUBLISHER);
        view = view(PUBLISHER, PRIMARY, SECONDARY, 3);
        step(primary);
        assertTrue(primary.mailboxChanged("1001", 2, 0));
        assertTrue(primary.mailboxChanged("1001", 1, 1));
        assertEquals(List.of(new MwiState("1001", 2, 0), new MwiState("1001", 1, 1)), sender.sent);
        assertThrows(IllegalArgumentException.class, () -> primary.mailboxChanged("10 01", 1, 0));
        assertThrows(IllegalArgumentException.class, () -> primary.mailboxChanged("1001", -1, 0));
    }

    /**
     * ST-12, MW-3: a change that repeats the state the lamp was last told in this term (the merge's MW-3 read
     * already had the spooled message) is not sent again.
     */
    @Test
    void st12_aRepeatedStateIsNotSentTwiceInOneTerm() {
        MwiPublisher primary = publisher(PUBLISHER);
        view = view(PUBLISHER, PRIMARY, SECONDARY, 3);
        step(primary);
        int bulks = sender.bulks.size();
        assertTrue(primary.mailboxChanged("1001", 1, 0)); // the store's counts for 1001, as MW-3 just sent them
        assertTrue(primary.mailboxChanged("1001", 2, 0));
        assertTrue(primary.mailboxChanged("1001", 2, 0));
        assertEquals(List.of(new MwiState("1001", 2, 0)), sender.sent);
        assertEquals(bulks, sender.bulks.size());
    }

    /**
     * ST-12, MW-3: a change sent as the term began (a spooled message stored before the first check of the new
     * PRIMARY) is not in that term's bulk again; every other mailbox is.
     */
    @Test
    void st12_mw3_aChangeSentAsTheTermBeganIsNotInItsBulkAgain() {
        MwiPublisher subscriber = publisher(SUBSCRIBER);
        view = view(SUBSCRIBER, ServerStatus.NOT_FUNCTIONING, PRIMARY, 4);
        store.set(0, new MailboxCountsRow("1001", 3, 1));
        assertTrue(subscriber.mailboxChanged("1001", 3, 1));
        step(subscriber);
        assertEquals(List.of(new MwiState("1001", 3, 1)), sender.sent);
        assertEquals(List.of(List.of(new MwiState("1002", 0, 3))), sender.bulks);
    }

    /** MW-3: on becoming PRIMARY (here by failover), every mailbox's state once, however many checks follow. */
    @Test
    void mw3NewPrimarySendsEveryMailboxOnce() {
        MwiPublisher subscriber = publisher(SUBSCRIBER);
        view = view(SUBSCRIBER, PRIMARY, SECONDARY, 3);
        step(subscriber);
        assertTrue(sender.bulks.isEmpty());
        view = view(SUBSCRIBER, ServerStatus.NOT_FUNCTIONING, PRIMARY, 4);
        step(subscriber);
        step(subscriber);
        step(subscriber);
        assertEquals(List.of(List.of(new MwiState("1001", 1, 0), new MwiState("1002", 0, 3))), sender.bulks);
        assertTrue(subscriber.mailboxChanged("1002", 1, 3));
    }

    /** MW-1: losing PRIMARY (Make Primary of the other) drops what is unsent; getting it back sends all again. */
    @Test
    void makePrimaryMovesTheSending() {
        MwiPublisher publisher = publisher(PUBLISHER);
        view = view(PUBLISHER, PRIMARY, SECONDARY, 3);
        step(publisher);
        view = view(PUBLISHER, SECONDARY, PRIMARY, 4);
        step(publisher);
        assertEquals(1, sender.drops);
        assertFalse(publisher.mailboxChanged("1001", 5, 0));
        store.set(0, new MailboxCountsRow("1001", 5, 0));
        view = view(PUBLISHER, PRIMARY, SECONDARY, 5);
        step(publisher);
        assertEquals(2, sender.bulks.size());
        assertEquals(new MwiState("1001", 5, 0), sender.bulks.get(1).get(0));
    }

    /** Split brain: both PRIMARY and both send; after recovery the recovered PRIMARY sends the merged counts once. */
    @Test
    void splitBrainBothSendThenTheRecoveredPrimarySendsAllOnce() {
        MwiPublisher publisher = publisher(PUBLISHER);
        view = view(PUBLISHER, PRIMARY, PRIMARY, 5);
        step(publisher);
        assertTrue(publisher.mailboxChanged("1001", 2, 0));
        view = view(PUBLISHER, SPLIT_BRAIN_RECOVERY, SPLIT_BRAIN_RECOVERY, 6);
        step(publisher);
        assertFalse(publisher.mailboxChanged("1001", 3, 0));
        store.set(0, new MailboxCountsRow("1001", 4, 0));
        view = view(PUBLISHER, PRIMARY, SECONDARY, 6);
        step(publisher);
        step(publisher);
        assertEquals(2, sender.bulks.size());
        assertEquals(new MwiState("1001", 4, 0), sender.bulks.get(1).get(0));
    }

    /** The store unreachable at takeover: tried again at the next check, then sent once. */
    @Test
    void mw3MailboxesUnreadableAreTriedAgain() {
        boolean[] down = {true};
        MwiPublisher p = new MwiPublisher(PUBLISHER, () -> view, sender, new MailboxStates() {
            @Override
            public void readAll(Consumer<List<MailboxCountsRow>> use) {
                if (down[0]) {
                    throw new IllegalStateException("database unreachable");
                }
                states.readAll(use);
            }

            @Override
            public void read(String extension, Consumer<MailboxCountsRow> use) {
                states.read(extension, use);
            }
        }, RECONCILE_MS);
        view = view(PUBLISHER, PRIMARY, SECONDARY, 3);
        step(p);
        assertTrue(sender.bulks.isEmpty());
        down[0] = false;
        step(p);
        step(p);
        assertEquals(1, sender.bulks.size());
    }

    @Test
    void mw2GivenUpNotifyRaisesMwiFailedWithTheExtension() {
        MwiFailedAlarm p = new MwiFailedAlarm(SUBSCRIBER, alarms::add, () -> nowNs, "127.0.0.1:5090");
        p.onMwiFailed(new MwiState("1007", 2, 1), 5, "403 Forbidden");
        assertEquals(1, alarms.size());
        Alarm alarm = alarms.get(0);
        assertEquals(AlarmName.MwiFailed, alarm.name());
        assertEquals(SUBSCRIBER, alarm.server());
        assertEquals(nowNs, alarm.timeNs());
        assertEquals("extension 1007: MWI (on, new 2, old 1) not delivered to 127.0.0.1:5090 after 5 attempts;"
                + " the last got 403 Forbidden", alarm.detail());
    }

    /** MW-3: Make Primary moves the epoch twice (the action, then the role check): every mailbox is sent once. */
    @Test
    void mw3LaterEpochsWhilePrimarySendNothingMore() {
        MwiPublisher publisher = publisher(PUBLISHER);
        view = view(PUBLISHER, SECONDARY, PRIMARY, 3);
        step(publisher);
        view = viewSince(PUBLISHER, PRIMARY, 4, 4);
        step(publisher);
        view = viewSince(PUBLISHER, PRIMARY, 4, 5);
        step(publisher);
        step(publisher);
        assertEquals(1, sender.bulks.size(), "once per becoming PRIMARY, not once per epoch: " + sender.bulks);
    }

    /** MW-3, ST-12: PRIMARY, recovery and PRIMARY again between two checks still counts as becoming PRIMARY. */
    @Test
    void mw3TheEndOfARecoveryNoCheckSawIsSeenByItsEpoch() {
        MwiPublisher publisher = publisher(PUBLISHER);
        view = viewSince(PUBLISHER, PRIMARY, 5, 5);
        step(publisher);
        view = viewSince(PUBLISHER, PRIMARY, 7, 7); // SPLIT_BRAIN_RECOVERY at 6 was never sampled
        step(publisher);
        assertEquals(2, sender.bulks.size(), sender.bulks.toString());
    }

    /** MW-1: a change made on the SECONDARY reaches the PRIMARY as an extension; the PRIMARY reads and sends it. */
    @Test
    void mw1AChangeOnThePeerIsReadAgainAndSentByThePrimaryOnly() {
        MwiPublisher primary = publisher(PUBLISHER);
        view = view(PUBLISHER, PRIMARY, SECONDARY, 3);
        step(primary);
        store.set(0, new MailboxCountsRow("1001", 0, 1));
        primary.mailboxChangedOnPeer("1001");
        assertEquals(List.of(new MwiState("1001", 0, 1)), sender.sent);

        MwiPublisher secondary = publisher(SUBSCRIBER);
        secondary.mailboxChangedOnPeer("1001");
        assertEquals(1, sender.sent.size(), "the SECONDARY sends none");
        assertEquals(1, secondary.notPrimaryDropped());
    }

    /**
     * MW-1 with the peer link down: the PRIMARY's reconcile sends, at its interval, only the mailboxes whose counts
     * differ from what it sent: a change on the other server, a deleted mailbox (off); not a new empty one.
     */
    @Test
    void mw1ReconcileSendsOnlyWhatDiffersFromWhatWasSent() {
        MwiPublisher primary = publisher(PUBLISHER);
        view = view(PUBLISHER, PRIMARY, SECONDARY, 3);
        step(primary);
        assertEquals(1, sender.bulks.size());
        stepMs(primary, RECONCILE_MS);
        assertEquals(1, sender.bulks.size(), "nothing differs: nothing sent");

        store.set(0, new MailboxCountsRow("1001", 0, 1));       // heard on the SECONDARY, forward lost
        store.set(1, new MailboxCountsRow("1003", 0, 0));       // 1002 deleted there, 1003 created empty
        store.add(new MailboxCountsRow("1004", 2, 0));          // 1004 created and given messages there
        assertTrue(primary.mailboxChanged("1005", 1, 0));       // told here: sent already
        store.add(new MailboxCountsRow("1005", 1, 0));
        stepMs(primary, RECONCILE_MS - 1);
        assertEquals(1, sender.bulks.size(), "not before the interval");
        stepMs(primary, 1);
        assertEquals(2, sender.bulks.size());
        assertEquals(java.util.Set.of(new MwiState("1001", 0, 1), new MwiState("1002", 0, 0),
                new MwiState("1004", 2, 0)), java.util.Set.copyOf(sender.bulks.get(1)));
        assertEquals(3, primary.reconciled());
        stepMs(primary, RECONCILE_MS);
        assertEquals(2, sender.bulks.size(), "sent once: what was sent is remembered");
    }

    /** A SECONDARY reconciles nothing; what a PRIMARY sent is forgotten when it stops being PRIMARY. */
    @Test
    void mw1SecondaryNeverReconciles() {
        MwiPublisher secondary = publisher(SUBSCRIBER);
        view = view(SUBSCRIBER, PRIMARY, SECONDARY, 3);
        for (int i = 0; i < 3; i++) {
            stepMs(secondary, RECONCILE_MS);
        }
        assertTrue(sender.bulks.isEmpty() && sender.sent.isEmpty());
    }
}
