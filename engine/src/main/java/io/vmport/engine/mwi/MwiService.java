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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's MWI (SPEC MW-1 to MW-3): the {@link MwiPublisher}, the trunk's {@link MwiNotifier} towards the cluster
 * setting {@code mwiTarget} (none: nothing is sent), and a thread that runs {@link MwiPublisher#check} every
 * heartbeat interval. Metrics: {@code vmport_mwi_notify_sent_total}, {@code vmport_mwi_notify_answered_total},
 * {@code vmport_mwi_notify_failed_total}.
 */
public final class MwiService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MwiService.class);

    private final MwiPublisher publisher;
    private final MwiSender sender;
    private final MwiNotifier notifier;
    private final ScheduledExecutorService checker;

    private MwiService(MwiPublisher publisher, MwiSender sender, MwiNotifier notifier,
                       ScheduledExecutorService checker) {
        this.publisher = publisher;
        this.sender = sender;
        this.notifier = notifier;
        this.checker = checker;
    }

    /**
     * Starts MWI on a running trunk.
     *
     * @param checkIntervalMs how often this server's status is looked at (the heartbeat interval)
     */
    public static MwiService start(ServerName self, Optional<HostPort> target, SipTrunk trunk,
                                   Supplier<ClusterView> views, MailboxStates mailboxes, AlarmSink alarms,
                                   long checkIntervalMs) {
        MwiNotifier notifier = target.map(t -> trunk.mwiNotifier(MwiSettings.of(t.host(), t.port()),
                new MwiFailedAlarm(self, alarms, System::nanoTime, t.toString()))).orElse(null);
        MwiSender sender = notifier == null ? MwiSender.NONE : MwiSender.of(notifier);
        MwiPublisher publisher = new MwiPublisher(self, views, sender, mailboxes);
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
        LOG.info("{}: MWI {}", self.configName(), target.map(t -> "to " + t + " (udp) while PRIMARY")
                .orElse("off: no mwiTarget set"));
        return new MwiService(publisher, sender, notifier, checker);
    }

    /** What the message store calls: {@link MwiPublisher#mailboxChanged}. */
    public MwiPublisher publisher() {
        return publisher;
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
