package io.vmport.engine.mwi;

import io.vmport.config.ServerName;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.sip.MwiState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which MWI this server sends (SPEC MW-1 to MW-3, DESIGN 3a: the cluster decides, the SIP adapter sends):
 * <ul>
 * <li>{@link #mailboxChanged}: forwarded to the {@link MwiSender} only while the latest cluster view shows this
 *     server PRIMARY (during split brain both servers are, and both send); otherwise dropped, since the next
 *     PRIMARY sends every mailbox's state anyway.</li>
 * <li>{@link #check}: run every heartbeat interval; the first time it sees this server PRIMARY at an epoch, it
 *     reads every mailbox's counts from {@link MailboxStates} and sends them all once (MW-3: failover, Make
 *     Primary, the end of split-brain recovery, a restart); when it sees this server no longer PRIMARY, the
 *     sender drops what it has not sent.</li>
 * </ul>
 * {@link #mailboxChanged} may be called from any thread; {@link #check} from one thread at a time.
 */
public final class MwiPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(MwiPublisher.class);

    private final ServerName self;
    private final Supplier<ClusterView> views;
    private final MwiSender sender;
    private final MailboxStates mailboxes;
    private final AtomicLong notPrimaryDropped = new AtomicLong();

    /** The epoch at which every mailbox was last sent; touched by {@link #check} only. */
    private long sentAllAtEpoch = -1;
    private boolean wasPrimary;

    /** @param views the node's latest published cluster view (null before the first) */
    public MwiPublisher(ServerName self, Supplier<ClusterView> views, MwiSender sender, MailboxStates mailboxes) {
        this.self = Objects.requireNonNull(self, "self");
        this.views = Objects.requireNonNull(views, "views");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
    }

    /**
     * Mailbox {@code extension} now has {@code newMessages} new and {@code oldMessages} old messages: the message
     * store calls this after every change it commits (a message left, heard, saved or deleted, by phone or API).
     * Returns at once; sends only while this server is PRIMARY (MW-1).
     *
     * @return whether it was handed to the sender (false on a server that is not PRIMARY)
     * @throws IllegalArgumentException for an extension that cannot be a SIP user part, or a negative count
     */
    public boolean mailboxChanged(String extension, int newMessages, int oldMessages) {
        MwiState state = new MwiState(extension, newMessages, oldMessages);
        if (!isPrimary(views.get())) {
            notPrimaryDropped.incrementAndGet();
            return false;
        }
        sender.send(state);
        return true;
    }

    /** Follows this server's status in the latest view (class javadoc); {@code nowNs} stamps the log. */
    public void check(long nowNs) {
        ClusterView view = views.get();
        boolean primary = isPrimary(view);
        if (primary && (!wasPrimary || view.epoch() != sentAllAtEpoch)) {
            sendAll(view, nowNs);
        } else if (!primary && wasPrimary) {
            sender.dropPending();
            LOG.info("{}: no longer PRIMARY ({}): sends no MWI", self.configName(),
                    view == null ? "no view" : view.status(self) + " at epoch " + view.epoch());
        }
        wasPrimary = primary;
    }

    /** Changes not sent because this server was not PRIMARY. */
    public long notPrimaryDropped() {
        return notPrimaryDropped.get();
    }

    private void sendAll(ClusterView view, long nowNs) {
        List<MailboxCounts> all;
        try {
            all = mailboxes.all();
        } catch (RuntimeException e) {
            // tried again at the next check: sentAllAtEpoch is left as it was
            LOG.warn("{}: PRIMARY at epoch {} but cannot read the mailboxes for MWI (MW-3): {}", self.configName(),
                    view.epoch(), e.toString());
            return;
        }
        List<MwiState> states = new ArrayList<>(all.size());
        for (MailboxCounts c : all) {
            try {
                states.add(new MwiState(c.extension(), c.newMessages(), c.oldMessages()));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: mailbox skipped for MWI: {}", self.configName(), e.getMessage());
            }
        }
        sender.sendAll(states);
        sentAllAtEpoch = view.epoch();
        LOG.info("{}: PRIMARY at epoch {}: MWI for all {} mailboxes queued (MW-3) at {} ms", self.configName(),
                view.epoch(), states.size(), nowNs / 1_000_000);
    }

    private boolean isPrimary(ClusterView view) {
        return view != null && view.status(self).publishesData();
    }
}
