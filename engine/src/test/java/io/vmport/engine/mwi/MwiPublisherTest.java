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
import io.vmport.engine.cluster.Alarm;
import io.vmport.engine.cluster.AlarmName;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.sip.MwiState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
    private final List<MailboxCounts> store = new ArrayList<>(List.of(new MailboxCounts("1001", 1, 0),
            new MailboxCounts("1002", 0, 3)));
    private ClusterView view;
    private long nowNs = 1_000;

    private MwiPublisher publisher(ServerName self) {
        return new MwiPublisher(self, () -> view, sender, () -> List.copyOf(store));
    }

    private static ClusterView view(ServerName self, ServerStatus publisher, ServerStatus subscriber, long epoch) {
        return new ClusterView(self, List.of(new ClusterView.Server(PUBLISHER, publisher, true, epoch),
                new ClusterView.Server(SUBSCRIBER, subscriber, true, epoch)), epoch,
                publisher == PRIMARY ? PUBLISHER : subscriber == PRIMARY ? SUBSCRIBER : null, true, 0,
                ClusterSettings.defaults(), 0, 0);
    }

    private void step(MwiPublisher p) {
        nowNs += 500_000_000L;
        p.check(nowNs);
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
        store.set(0, new MailboxCounts("1001", 5, 0));
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
        store.set(0, new MailboxCounts("1001", 4, 0));
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
        MwiPublisher p = new MwiPublisher(PUBLISHER, () -> view, sender, () -> {
            if (down[0]) {
                throw new IllegalStateException("database unreachable");
            }
            return List.copyOf(store);
        });
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
}
