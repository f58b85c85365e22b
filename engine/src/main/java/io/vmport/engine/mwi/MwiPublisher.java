package io.vmport.engine.mwi;

import io.vmport.config.ServerName;
import io.vmport.config.db.MailboxCountsRow;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.sip.MwiState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which MWI this server sends (SPEC MW-1 to MW-3, DESIGN 3a: the cluster decides, the SIP adapter sends):
 * <ul>
 * <li>{@link #mailboxChanged}: a change made on this server, handed to the {@link MwiSender} only while the latest
 *     cluster view shows this server PRIMARY (during split brain both servers are, and both send); otherwise
 *     dropped, and the node forwards it to the other server (see {@link MwiService#countsChanged}).</li>
 * <li>{@link #mailboxChangedOnPeer}: a change made on the other server: while PRIMARY, its counts are read again
 *     from the shared database and sent, so the newest state wins whatever order the changes arrive in.</li>
 * <li>{@link #check}, every heartbeat interval: once per becoming PRIMARY (failover, Make Primary, the end of
 *     split-brain recovery, a restart) it reads every mailbox's counts and sends them all (MW-3). "Becoming" is
 *     the epoch at which this server entered PRIMARY, so later epochs while it stays PRIMARY (the role check
 *     after Make Primary) send nothing more, and a PRIMARY - SPLIT_BRAIN_RECOVERY - PRIMARY between two checks
 *     still sends again. Then every {@code reconcileIntervalMs} it reads every mailbox's counts and sends those
 *     that differ from what it last handed the sender (a change on the other server whose forward was lost with
 *     the link). When it sees this server no longer PRIMARY, the sender drops what it has not sent.</li>
 * </ul>
 * Counts are read through {@link MailboxStates}, whose order with the store's changes keeps a bulk read from
 * overtaking a newer single change. A state the sender gave up (MwiFailed, MW-2) counts as sent: the reconcile
 * does not retry it (no flood towards a PBX that refuses), the mailbox's next change or the next PRIMARY does.
 * {@link #mailboxChanged} may be called from any thread; {@link #check} and {@link #mailboxChangedOnPeer} from the
 * checker's thread.
 */
public final class MwiPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(MwiPublisher.class);
    private static final long NONE = -1;

    private final ServerName self;
    private final Supplier<ClusterView> views;
    private final MwiSender sender;
    private final MailboxStates mailboxes;
    private final long reconcileIntervalNs;
    private final AtomicLong notPrimaryDropped = new AtomicLong();
    private final AtomicLong reconciled = new AtomicLong();
    /** The state last handed to the sender per extension in this PRIMARY term: what the lamps are told to show. */
    private final Map<String, MwiState> lastSent = new ConcurrentHashMap<>();
    /** The term (this server's epoch in the view) in which {@link #mailboxChanged} last sent each extension. */
    private final Map<String, Long> changeSentInTerm = new ConcurrentHashMap<>();

    // touched by the checker's thread only
    /** The epoch at which this server entered PRIMARY when it last sent every mailbox; NONE when not PRIMARY. */
    private long sentAllForTerm = NONE;
    private boolean wasPrimary;
    private long nextReconcileNs;

    /**
     * @param views               the node's latest published cluster view (null before the first)
     * @param reconcileIntervalMs how often a PRIMARY compares every mailbox's counts with what it sent
     */
    public MwiPublisher(ServerName self, Supplier<ClusterView> views, MwiSender sender, MailboxStates mailboxes,
                        long reconcileIntervalMs) {
        this.self = Objects.requireNonNull(self, "self");
        this.views = Objects.requireNonNull(views, "views");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
        if (reconcileIntervalMs < 1) {
            throw new IllegalArgumentException("reconcileIntervalMs must be 1 or more, not " + reconcileIntervalMs);
        }
        this.reconcileIntervalNs = reconcileIntervalMs * 1_000_000L;
    }

    /**
     * Mailbox {@code extension} now has {@code newMessages} new and {@code oldMessages} old messages: the message
     * store calls this after every change it commits on this server (a message left, heard, saved or deleted, by
     * phone or API). Returns at once; sends only while this server is PRIMARY (MW-1), and only a state that differs
     * from the one last handed to the sender in this term: after a split-brain recovery the MW-3 read and a spooled
     * message's own change can both carry the merged counts, and the lamp is told them once (ST-12).
     *
     * @return whether this server, PRIMARY, took care of it (false on a server that is not PRIMARY)
     * @throws IllegalArgumentException for an extension that cannot be a SIP user part, or a negative count
     */
    public boolean mailboxChanged(String extension, int newMessages, int oldMessages) {
        MwiState state = new MwiState(extension, newMessages, oldMessages);
        ClusterView view = views.get();
        if (!isPrimary(view)) {
            notPrimaryDropped.incrementAndGet();
            return false;
        }
        if (!state.equals(lastSent.put(extension, state))) {
            changeSentInTerm.put(extension, view.server(self).epoch());
            sender.send(state);
        }
        return true;
    }

    /**
     * Mailbox {@code extension} changed on the other server (told over the peer link): while this server is
     * PRIMARY, reads its counts from the shared database and sends them (MW-1). Blocks on the database.
     */
    public void mailboxChangedOnPeer(String extension) {
        if (!isPrimary(views.get())) {
            notPrimaryDropped.incrementAndGet();
            return;
        }
        mailboxes.read(extension, c -> mailboxChanged(c.extension(), c.newCount(), c.oldCount())); // checks again
    }

    /** Follows this server's status in the latest view (class javadoc); {@code nowNs} times the reconcile. */
    public void check(long nowNs) {
        ClusterView view = views.get();
        if (!isPrimary(view)) {
            if (wasPrimary) {
                sender.dropPending();
                lastSent.clear();
                changeSentInTerm.clear();
                LOG.info("{}: no longer PRIMARY ({}): sends no MWI", self.configName(),
                        view == null ? "no view" : view.status(self) + " at epoch " + view.epoch());
            }
            wasPrimary = false;
            sentAllForTerm = NONE;
            return;
        }
        wasPrimary = true;
        long term = view.server(self).epoch();
        if (term != sentAllForTerm) {
            sendAll(view, term, nowNs);
        } else if (nowNs - nextReconcileNs >= 0) {
            reconcile(term, nowNs);
        }
    }

    /** Changes not sent because this server was not PRIMARY. */
    public long notPrimaryDropped() {
        return notPrimaryDropped.get();
    }

    /** States the reconcile sent because they differed from what was sent (a change whose forward was lost). */
    public long reconciled() {
        return reconciled.get();
    }

    private void sendAll(ClusterView view, long term, long nowNs) {
        try {
            mailboxes.readAll(rows -> {
                if (!stillPrimaryIn(term, "MW-3 of " + rows.size() + " mailboxes")) {
                    return;
                }
                sentAllForTerm = term;
                nextReconcileNs = nowNs + reconcileIntervalNs;
                List<MwiState> states = states(rows);
                // a change already sent in this term with these very counts (a spooled message stored as the
                // term began) is not sent twice: the lamp is told each mailbox's state once (MW-3, ST-12)
                List<MwiState> unsent = new ArrayList<>(states.size());
                for (MwiState s : states) {
                    Long sentIn = changeSentInTerm.get(s.extension());
                    if (sentIn == null || sentIn != term || !s.equals(lastSent.get(s.extension()))) {
                        unsent.add(s);
                    }
                }
                lastSent.clear();
                changeSentInTerm.clear();
                for (MwiState s : states) {
                    lastSent.put(s.extension(), s);
                }
                sender.sendAll(unsent);
                LOG.info("{}: PRIMARY since epoch {}: MWI for {} of {} mailboxes queued (MW-3; the rest sent in this "
                        + "term already) at {} ms", self.configName(), term, unsent.size(), states.size(),
                        nowNs / 1_000_000);
            });
        } catch (RuntimeException e) {
            // tried again at the next check: sentAllForTerm is left as it was
            LOG.warn("{}: PRIMARY at epoch {} but cannot read the mailboxes for MWI (MW-3): {}", self.configName(),
                    view.epoch(), e.toString());
        }
    }

    /**
     * Whether this server is still PRIMARY in the term it entered at {@code term}: a read of the database may block
     * for seconds (the database away during split brain), and a server that stopped being PRIMARY meanwhile must not
     * send what it read (MW-1). A term left and entered again is a new one, with its own MW-3.
     */
    private boolean stillPrimaryIn(long term, String what) {
        ClusterView now = views.get();
        if (isPrimary(now) && now.server(self).epoch() == term) {
            return true;
        }
        LOG.info("{}: {} read but not sent: no longer PRIMARY since epoch {} ({})", self.configName(), what, term,
                now == null ? "no view" : now.status(self) + " at epoch " + now.epoch());
        return false;
    }

    /** Sends the mailboxes whose counts differ from what was last sent; a deleted mailbox's lamp goes off. */
    private void reconcile(long term, long nowNs) {
        nextReconcileNs = nowNs + reconcileIntervalNs;
        try {
            mailboxes.readAll(rows -> {
                if (!stillPrimaryIn(term, "the reconcile")) {
                    return;
                }
                List<MwiState> differ = new ArrayList<>();
                Set<String> present = new HashSet<>();
                for (MwiState s : states(rows)) {
                    present.add(s.extension());
                    MwiState last = lastSent.get(s.extension());
                    if (last == null ? s.newMessages() > 0 || s.oldMessages() > 0 : !last.equals(s)) {
                        differ.add(s); // a mailbox never sent is dark: only one with messages needs a NOTIFY
                    }
                }
                for (MwiState last : List.copyOf(lastSent.values())) {
                    if (!present.contains(last.extension())) {
                        lastSent.remove(last.extension());
                        if (last.newMessages() > 0 || last.oldMessages() > 0) {
                            differ.add(new MwiState(last.extension(), 0, 0));
                        }
                    }
                }
                if (differ.isEmpty()) {
                    return;
                }
                for (MwiState s : differ) {
                    lastSent.put(s.extension(), s);
                }
                sender.sendAll(differ);
                reconciled.addAndGet(differ.size());
                LOG.info("{}: MWI reconcile: {} mailbox(es) differ from what was sent, sent again: {}",
                        self.configName(), differ.size(), differ.size() <= 10 ? differ : differ.subList(0, 10) + "...");
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: MWI reconcile cannot read the mailboxes; tried again in {} ms: {}", self.configName(),
                    reconcileIntervalNs / 1_000_000, e.toString());
        }
    }

    private List<MwiState> states(List<MailboxCountsRow> rows) {
        List<MwiState> states = new ArrayList<>(rows.size());
        for (MailboxCountsRow c : rows) {
            try {
                states.add(new MwiState(c.extension(), c.newCount(), c.oldCount()));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: mailbox skipped for MWI: {}", self.configName(), e.getMessage());
            }
        }
        return states;
    }

    private boolean isPrimary(ClusterView view) {
        return view != null && view.status(self).publishesData();
    }
}
