package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.PrimaryRoleLease;
import io.vmport.config.db.PrimaryRoleRow;
import io.vmport.engine.cluster.CriticalFailure;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.NodeReport;
import io.vmport.engine.pipeline.PipelineProducer;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's claim on the PRIMARY role in the database (ST-13, ST-7), on its own thread (the role thread), so
 * that a database that hangs delays the claim but never the network check or the other effects.
 *
 * <p>Every heartbeat interval, while this node is PRIMARY in its view: when it holds the role in the database it
 * renews its lease (the role row's {@code changed_at_ms}, on the database's clock); when it does not, and has not
 * held it since it became PRIMARY, it takes it with one conditional UPDATE (with the peer unreachable, only once the
 * holder's lease is stale), at an epoch at least its own; when another server took the role from it, or refused its
 * take, it reports {@link NodeReport.DatabaseRole} and the cluster makes it SECONDARY at once: the database epoch is
 * the truth. A PRIMARY that cannot reach the database for {@link #DATABASE_RETRY_TIMEOUTS} heartbeat timeouts
 * reports {@code DATABASE_LOST} (ST-7), and {@code Recovered} when it can again.
 */
final class RoleKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoleKeeper.class);
    /** The database retry budget of ST-7, in local heartbeat timeouts. */
    static final int DATABASE_RETRY_TIMEOUTS = 3;

    private final ServerName self;
    private final Database database;
    private final WallClock clock;
    private final Supplier<PipelineProducer> producer;
    private final Supplier<ClusterView> views;
    private final ExecutorService roleThread;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();

    // on the role thread
    /** The database epoch at which this node holds the role since it became PRIMARY; 0 when it does not. */
    private long heldEpoch;
    private long databaseFailingSinceMs;
    private boolean databaseLostReported;

    RoleKeeper(ServerName self, Database database, WallClock clock, Supplier<PipelineProducer> producer,
               Supplier<ClusterView> views) {
        this.self = self;
        this.database = database;
        this.clock = clock;
        this.producer = producer;
        this.views = views;
        this.roleThread = Executors.newSingleThreadExecutor(NodeEffects.daemon("vmport-" + self.configName() + "-role"));
        this.timer = Executors.newSingleThreadScheduledExecutor(
                NodeEffects.daemon("vmport-" + self.configName() + "-role-timer"));
    }

    /** Starts reconciling the role every {@code intervalMs} (the heartbeat interval). */
    void start(long intervalMs) {
        timer.scheduleWithFixedDelay(this::requestReconcile, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Reconciles the role on the role thread soon, with the view of that time; at most one request waits. */
    void requestReconcile() {
        if (reconcileQueued.compareAndSet(false, true)) {
            try {
                roleThread.execute(() -> {
                    reconcileQueued.set(false);
                    reconcileQuietly(views.get());
                });
            } catch (RejectedExecutionException stopping) {
                reconcileQueued.set(false);
            }
        }
    }

    /** STOP_PRIMARY_SERVICES: forgets the role this node held; it no longer renews it. */
    void forget(ClusterView view) {
        roleThread.execute(() -> {
            if (heldEpoch != 0) {
                LOG.info("{} stops primary-only work: no longer renews the PRIMARY role of epoch {} ({})",
                        self.configName(), heldEpoch, view.status(self));
            }
            heldEpoch = 0;
        });
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

    private static String name(ServerName s) {
        return s == null ? "no server" : s.configName();
    }

    /** Stops the timer and the role thread; the role is renewed no more. */
    @Override
    public void close() {
        timer.shutdownNow();
        roleThread.shutdownNow();
    }
}
