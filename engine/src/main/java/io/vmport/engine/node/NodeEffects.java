package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.PrimaryRoleLease;
import io.vmport.config.db.PrimaryRoleRow;
import io.vmport.engine.cluster.CriticalFailure;
import io.vmport.engine.cluster.Effect;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.NodeReport;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.EffectSink;
import io.vmport.engine.pipeline.PipelineProducer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the work the cluster asks for off the router thread (see {@link Effect}), one effect at a time on its
 * own thread, and keeps this node's claim on the PRIMARY role in the database (ST-13) on another (the role thread),
 * so that a database that hangs delays the claim but never the network check:
 * <ul>
 * <li>NETWORK_CHECK (ST-8): tries each check address (ICMP/echo via {@link InetAddress#isReachable}, then a TCP
 *     connect to port 7). When the network is confirmed and the database shows the silent peer holding the
 *     PRIMARY role, it waits until that holder's lease (its last renewal) is a heartbeat timeout old: a holder
 *     that renews meanwhile is alive and only the link between the nodes is cut (no failover:
 *     {@link NodeReport.PeerHoldsRole}); a database it cannot read does not stop the failover (ST-12).</li>
 * <li>PUBLISH_STATUS, START_PRIMARY_SERVICES: writes this server's status row, then reconciles the role.</li>
 * <li>STOP_PRIMARY_SERVICES: forgets the role this node held; it no longer renews it.</li>
 * <li>MERGE_DATA (ST-12): this side's call records and alarms kept through the split are in the database writer's
 *     queue; they are inserted idempotently (keyed by (call id, server) and alarm id), so the merge is done when
 *     the writer has stored all of them. {@link NodeReport.MergeResult} either way; failed (SbrFailed) when the
 *     database does not take them within {@link #mergeBudgetMs}; the rows stay queued and are written later.</li>
 * </ul>
 *
 * <p><b>Reconciling the role (ST-13, ST-7).</b> Every heartbeat interval, while this node is PRIMARY in its view:
 * when it holds the role in the database it renews its lease (the role row's {@code changed_at_ms}, on the
 * database's clock); when it does not, and has not held it since it became PRIMARY, it takes it with one
 * conditional UPDATE (with the peer unreachable, only once the holder's lease is stale), at an epoch at least its
 * own; when another server took the role from it, or refused its take, it reports {@link NodeReport.DatabaseRole}
 * and the cluster makes it SECONDARY at once: the database epoch is the truth. A PRIMARY that cannot reach the
 * database for {@link #DATABASE_RETRY_TIMEOUTS} heartbeat timeouts reports {@code DATABASE_LOST} (ST-7), and
 * {@code Recovered} when it can again.
 */
final class NodeEffects implements EffectSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeEffects.class);
    static final int CHECK_TIMEOUT_MS = 1_000;
    private static final int ECHO_PORT = 7;
    /** The database retry budget of ST-7, in local heartbeat timeouts. */
    static final int DATABASE_RETRY_TIMEOUTS = 3;
    /** How long a split-brain merge may wait for the database writer, in local heartbeat timeouts (at least 10 s). */
    static final int MERGE_TIMEOUTS = 10;

    private final ServerName self;
    private final Database database;
    private final WallClock clock;
    private final Supplier<PipelineProducer> producer;
    private final Supplier<ClusterView> views;
    private final DatabaseWriter writer;
    private final ExecutorService executor;
    /** The role's own thread: a database that hangs delays reconciling, never the network check. */
    private final ExecutorService roleThread;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();

    // on the role thread
    /** The database epoch at which this node holds the role since it became PRIMARY; 0 when it does not. */
    private long heldEpoch;
    private long databaseFailingSinceMs;
    private boolean databaseLostReported;

    NodeEffects(ServerName self, Database database, WallClock clock, Supplier<PipelineProducer> producer,
                Supplier<ClusterView> views, DatabaseWriter writer) {
        this.self = self;
        this.database = database;
        this.clock = clock;
        this.producer = producer;
        this.views = views;
        this.writer = writer;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
                task -> {
                    Thread t = new Thread(task, "vmport-" + self.configName() + "-effects");
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> LOG.error("effects queue full; an effect was dropped"));
        this.roleThread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "vmport-" + self.configName() + "-role");
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "vmport-" + self.configName() + "-role-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reconciling the role every {@code intervalMs} (the heartbeat interval). */
    void startReconciling(long intervalMs) {
        timer.scheduleWithFixedDelay(this::requestReconcile, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Reconciles the role on the role thread soon, with the view of that time; at most one request waits. */
    private void requestReconcile() {
        if (reconcileQueued.compareAndSet(false, true)) {
            try {
                roleThread.execute(() -> {
                    reconcileQueued.set(false);
                    reconcileQuietly(views.get());
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                reconcileQueued.set(false);
            }
        }
    }

    @Override
    public void onEffect(Effect effect, ClusterView view) {
        executor.execute(() -> {
            try {
                run(effect, view);
            } catch (RuntimeException e) {
                LOG.warn("effect {} failed ({} is {} at epoch {}): {}", effect, self.configName(),
                        view.status(self), view.epoch(), e.toString());
            }
        });
    }

    /** Runs {@code task} on the effects thread: for work a pipeline thread must not do itself. */
    void execute(Runnable task) {
        executor.execute(task);
    }

    private void run(Effect effect, ClusterView view) {
        switch (effect) {
            case NETWORK_CHECK -> networkCheck(view);
            case PUBLISH_STATUS, START_PRIMARY_SERVICES -> {
                requestReconcile();
                database.servers().updateStatus(self, view.status(self).name(), clock.nowMs());
            }
            case STOP_PRIMARY_SERVICES -> {
                roleThread.execute(() -> {
                    if (heldEpoch != 0) {
                        LOG.info("{} stops primary-only work: no longer renews the PRIMARY role of epoch {} ({})",
                                self.configName(), heldEpoch, view.status(self));
                    }
                    heldEpoch = 0;
                });
                database.servers().updateStatus(self, view.status(self).name(), clock.nowMs());
            }
            case MERGE_DATA -> merge(view);
        }
    }

    private void networkCheck(ClusterView view) {
        boolean reachable = networkReachable(view.settings().networkCheck());
        if (reachable && view.status(self) != ServerStatus.PRIMARY) {
            long leaseMs = view.settings().localHeartbeatTimeoutMs();
            try {
                PrimaryRoleLease lease = database.primaryRole().lease();
                if (lease.role().isHeldBy(self.other()) && lease.ageMs() < leaseMs) {
                    sleep(leaseMs - lease.ageMs() + 1); // the holder must renew within its lease to count as alive
                    lease = database.primaryRole().lease();
                }
                if (lease.role().isHeldBy(self.other()) && lease.ageMs() < leaseMs) {
                    producer.get().report(new NodeReport.PeerHoldsRole(lease.ageMs()));
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: network confirmed but the database cannot say whether {} is alive ({}): the failover"
                        + " may lead to split brain (ST-12)", self.configName(), self.other().configName(),
                        e.getMessage());
            }
        }
        producer.get().networkCheckResult(reachable);
    }

    private void reconcileQuietly(ClusterView view) {
        if (view == null) {
            return;
        }
        try {
            reconcile(view);
            databaseOk();
        } catch (RuntimeException e) {
            databaseFailed(view, e);
        }
    }

    /** ST-13: the role in the database against this node's view (class javadoc). */
    private void reconcile(ClusterView view) {
        if (view.status(self) != ServerStatus.PRIMARY) {
            heldEpoch = 0;
            return;
        }
        PrimaryRoleLease lease = database.primaryRole().lease();
        PrimaryRoleRow role = lease.role();
        if (role.isHeldBy(self)) {
            if (database.primaryRole().renew(self, role.epoch())) {
                if (heldEpoch != role.epoch()) {
                    heldEpoch = role.epoch();
                    producer.get().report(new NodeReport.DatabaseRole(self, role.epoch()));
                }
                return;
            }
            role = database.primaryRole().current(); // moved between the read and the renewal
        }
        if (role.isHeldBy(self)) {
            return; // renewed by a concurrent take of our own; next round
        }
        if (heldEpoch == 0 && role.holder() != null) {
            // newly PRIMARY: take the role; with the peer unreachable only from a holder that stopped renewing
            long staleAfterMs = view.peerConnected() ? 0 : view.settings().localHeartbeatTimeoutMs();
            OptionalLong taken = database.primaryRole().tryTakeOver(self, role.epoch(), view.epoch(), staleAfterMs);
            if (taken.isPresent()) {
                heldEpoch = taken.getAsLong();
                LOG.info("{} took the PRIMARY role in the database at epoch {} (was {} at {})", self.configName(),
                        heldEpoch, role.holder().configName(), role.epoch());
                producer.get().report(new NodeReport.DatabaseRole(self, heldEpoch));
                return;
            }
            PrimaryRoleLease now = database.primaryRole().lease();
            if (now.role().isHeldBy(self)) {
                return;
            }
            LOG.warn("{} could not take the PRIMARY role: the database names {} at epoch {}, renewed {} ms ago;"
                    + " {} becomes SECONDARY (ST-13)", self.configName(), name(now.role().holder()),
                    now.role().epoch(), now.ageMs(), self.configName());
            producer.get().report(new NodeReport.DatabaseRole(now.role().holder(), now.role().epoch()));
            return;
        }
        if (role.holder() == null) {
            OptionalLong taken = database.primaryRole().tryTakeOver(self, role.epoch(), view.epoch(), 0);
            if (taken.isPresent()) {
                heldEpoch = taken.getAsLong();
                LOG.info("{} took the PRIMARY role in the database at epoch {}", self.configName(), heldEpoch);
                producer.get().report(new NodeReport.DatabaseRole(self, heldEpoch));
            }
            return;
        }
        LOG.warn("{} lost the PRIMARY role: it held epoch {}, the database names {} at epoch {}; {} stops"
                + " primary-only work at once (ST-13)", self.configName(), heldEpoch, role.holder().configName(),
                role.epoch(), self.configName());
        heldEpoch = 0;
        producer.get().report(new NodeReport.DatabaseRole(role.holder(), role.epoch()));
    }

    private void databaseOk() {
        if (databaseFailingSinceMs != 0) {
            LOG.info("{}: the database answers again after {} ms", self.configName(),
                    clock.nowMs() - databaseFailingSinceMs);
        }
        databaseFailingSinceMs = 0;
        if (databaseLostReported) {
            databaseLostReported = false;
            producer.get().report(new NodeReport.Recovered(self));
        }
    }

    private void databaseFailed(ClusterView view, RuntimeException e) {
        long nowMs = clock.nowMs();
        if (databaseFailingSinceMs == 0) {
            databaseFailingSinceMs = nowMs;
            LOG.warn("{}: cannot reconcile the PRIMARY role with the database: {}", self.configName(), e.getMessage());
        }
        long budgetMs = DATABASE_RETRY_TIMEOUTS * view.settings().localHeartbeatTimeoutMs();
        if (!databaseLostReported && nowMs - databaseFailingSinceMs >= budgetMs) {
            databaseLostReported = true;
            LOG.error("{}: the database has failed for {} ms, past the retry budget of {} ms: {} (ST-7)",
                    self.configName(), nowMs - databaseFailingSinceMs, budgetMs, e.getMessage());
            producer.get().report(new NodeReport.CriticalFailed(self, CriticalFailure.DATABASE_LOST));
        }
    }

    /** ST-12: waits for this side's kept rows to be stored (class javadoc). */
    private void merge(ClusterView view) {
        long budgetMs = mergeBudgetMs(view);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
        int kept = writer.unstored();
        while (writer.unstored() > 0 || writer.outage()) {
            if (System.nanoTime() - deadline > 0) {
                String detail = writer.unstored() + " call record(s)/alarm(s) of " + self.configName()
                        + " not stored after " + budgetMs + " ms (database " + (writer.outage() ? "unreachable" : "slow")
                        + "); they stay queued and are written when it answers";
                LOG.error("{}: split-brain merge failed: {}", self.configName(), detail);
                producer.get().report(new NodeReport.MergeResult(false, detail));
                return;
            }
            writer.retryNow();
            sleep(50);
        }
        String detail = self.configName() + " stored the " + kept + " row(s) it kept through the split";
        LOG.info("{}: split-brain merge done: {}", self.configName(), detail);
        producer.get().report(new NodeReport.MergeResult(true, detail));
    }

    static long mergeBudgetMs(ClusterView view) {
        return Math.max(10_000, MERGE_TIMEOUTS * view.settings().localHeartbeatTimeoutMs());
    }

    private static String name(ServerName s) {
        return s == null ? "no server" : s.configName();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when one of {@code addresses} answers; an empty list counts as reachable (nothing to check). */
    static boolean networkReachable(List<String> addresses) {
        if (addresses.isEmpty()) {
            return true;
        }
        for (String address : addresses) {
            try {
                InetAddress a = InetAddress.getByName(address);
                if (a.isReachable(CHECK_TIMEOUT_MS) || connects(a)) {
                    return true;
                }
            } catch (IOException e) {
                LOG.debug("network check {}: {}", address, e.toString());
            }
        }
        LOG.warn("network check: none of {} reachable", addresses);
        return false;
    }

    private static boolean connects(InetAddress a) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a, ECHO_PORT), CHECK_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            // "connection refused" still proves the host answered
            return e instanceof java.net.ConnectException && e.getMessage() != null
                    && e.getMessage().contains("refused");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        roleThread.shutdownNow();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
