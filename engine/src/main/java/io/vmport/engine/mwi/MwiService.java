package io.vmport.engine.mwi;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vmport.config.HostPort;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.sip.MwiNotifier;
import io.vmport.sip.MwiSettings;
import io.vmport.sip.SipTrunk;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's MWI (SPEC MW-1 to MW-3): the {@link MwiPublisher}, the trunk's {@link MwiNotifier} towards the cluster
 * setting {@code mwiTarget} (none: nothing is sent), and a thread that runs {@link MwiPublisher#check} every
 * heartbeat interval (and the changes made on the other server, read again from the database there). A change
 * made here while this server is not PRIMARY is forwarded to the other server ({@link #countsChanged}). Metrics: {@code vmport_mwi_notify_sent_total}, {@code vmport_mwi_notify_answered_total},
 * {@code vmport_mwi_notify_failed_total}.
 */
public final class MwiService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MwiService.class);

    private final MwiPublisher publisher;
    private final MwiSender sender;
    private final MwiNotifier notifier;
    private final ScheduledExecutorService checker;
    private final Consumer<String> toPeer;

    /** How often the PRIMARY compares every mailbox's counts with what it sent (MW-1 with the link down). */
    public static final long DEFAULT_RECONCILE_INTERVAL_MS = 30_000;

    private MwiService(MwiPublisher publisher, MwiSender sender, MwiNotifier notifier,
                       ScheduledExecutorService checker, Consumer<String> toPeer) {
        this.publisher = publisher;
        this.sender = sender;
        this.notifier = notifier;
        this.checker = checker;
        this.toPeer = toPeer;
    }

    /**
     * Starts MWI on a running trunk.
     *
     * @param sendsPerSecond      NOTIFYs started per second at most (cluster setting {@code mwiSendsPerSecond}, MW-3)
     * @param checkIntervalMs     how often this server's status is looked at (the heartbeat interval)
     * @param reconcileIntervalMs how often the PRIMARY compares every mailbox's counts with what it sent
     * @param toPeer              tells the other server that a mailbox changed here (the peer link); must not block
     */
    public static MwiService start(ServerName self, Optional<HostPort> target, int sendsPerSecond, SipTrunk trunk,
                                   Supplier<ClusterView> views, MailboxStates mailboxes, AlarmSink alarms,
                                   long checkIntervalMs, long reconcileIntervalMs, Consumer<String> toPeer) {
        MwiNotifier notifier = target.map(t -> trunk.mwiNotifier(MwiSettings.of(t.host(), t.port())
                        .withPacing(sendsPerSecond, MwiSettings.DEFAULT_MAX_IN_FLIGHT),
                new MwiFailedAlarm(self, alarms, System::nanoTime, t.toString()))).orElse(null);
        MwiSender sender = notifier == null ? MwiSender.NONE : MwiSender.of(notifier);
        MwiPublisher publisher = new MwiPublisher(self, views, sender, mailboxes, reconcileIntervalMs);
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmport-" + self.configName() + "-mwi-check");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(() -> {
            try {
                publisher.check(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.warn("{}: MWI check failed: {}", self.configName(), e.toString(), e);
            }
        }, 0, checkIntervalMs, TimeUnit.MILLISECONDS);
        LOG.info("{}: MWI {}", self.configName(), target.map(t -> "to " + t + " (udp) while PRIMARY, at most "
                        + sendsPerSecond + " NOTIFYs/s")
                .orElse("off: no mwiTarget set"));
        return new MwiService(publisher, sender, notifier, checker, Objects.requireNonNull(toPeer, "toPeer"));
    }

    /** Decides what this server sends. */
    public MwiPublisher publisher() {
        return publisher;
    }

    /**
     * What the message store's counts listener calls after a change made on this server: sent from here while
     * PRIMARY, else forwarded to the other server, whose PRIMARY reads the counts again and sends them (MW-1: both
     * servers record, MS-1; the admin API answers on both). A forward lost with the link is sent by the PRIMARY's
     * reconcile.
     */
    public void countsChanged(String extension, int newMessages, int oldMessages) {
        if (!publisher.mailboxChanged(extension, newMessages, oldMessages)) {
            toPeer.accept(extension);
        }
    }

    /** The other server says {@code extension} changed there: re-read and sent on the checker's thread. */
    public void changedOnPeer(String extension) {
        try {
            checker.execute(() -> {
                try {
                    publisher.mailboxChangedOnPeer(extension);
                } catch (RuntimeException e) {
                    LOG.warn("MWI for mailbox {} changed on the peer failed: {}", extension, e.toString(), e);
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("MWI closed: mailbox {} changed on the peer not sent", extension);
        }
    }

    /** Registers the NOTIFY counters in the node's {@code /metrics}. */
    public void registerMetrics(MeterRegistry registry) {
        FunctionCounter.builder("vmport.mwi.notify.sent", sender, MwiSender::sent)
                .description("MWI NOTIFYs sent, retries included (MW-1)").register(registry);
        FunctionCounter.builder("vmport.mwi.notify.answered", sender, MwiSender::answered)
                .description("MWI NOTIFYs answered 2xx").register(registry);
        FunctionCounter.builder("vmport.mwi.notify.failed", sender, MwiSender::failed)
                .description("MWI states given up after every attempt failed (MwiFailed, MW-2)").register(registry);
    }

    @Override
    public void close() {
        checker.shutdownNow();
        if (notifier != null) {
            notifier.close();
        }
    }
}
