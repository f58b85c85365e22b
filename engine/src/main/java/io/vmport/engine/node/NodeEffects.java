package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.Effect;
import io.vmport.engine.messages.MessageWriter;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.EffectSink;
import io.vmport.engine.pipeline.NodeReport;
import io.vmport.engine.pipeline.PipelineProducer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the work the cluster asks for off the router thread (see {@link Effect}), one effect at a time on its own
 * thread (the effects thread):
 * <ul>
 * <li>NETWORK_CHECK (ST-8): {@link NetworkCheck}.</li>
 * <li>PUBLISH_STATUS, START_PRIMARY_SERVICES: writes this server's status row, then reconciles the role
 *     ({@link RoleKeeper}, on its own thread, so that a database that hangs delays the claim but never the network
 *     check).</li>
 * <li>STOP_PRIMARY_SERVICES: forgets the role this node held; it no longer renews it.</li>
 * <li>MERGE_DATA (ST-12): this side's call records and alarms kept through the split are in the database writer's
 *     queue, its messages in the message spool (MS-2); both are inserted idempotently (keyed by (call id, server),
 *     alarm id, message id), so the merge is done when both writers have stored all of them: the counts the new
 *     PRIMARY sends for MWI then hold this side's messages (MW-3). {@link NodeReport.MergeResult} either way; failed
 *     (SbrFailed) when the database does not take them within {@link #mergeBudgetMs}; they stay kept and are written
 *     later.</li>
 * </ul>
 */
final class NodeEffects implements EffectSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeEffects.class);

    private final ServerName self;
    private final Database database;
    private final WallClock clock;
    private final Supplier<PipelineProducer> producer;
    private final DatabaseWriter writer;
    private final MessageWriter messages;
    private final ExecutorService executor;
    private final NetworkCheck networkCheck;
    private final RoleKeeper role;

    NodeEffects(ServerName self, Database database, WallClock clock, Supplier<PipelineProducer> producer,
                Supplier<ClusterView> views, DatabaseWriter writer, MessageWriter messages) {
        this.self = self;
        this.database = database;
        this.clock = clock;
        this.producer = producer;
        this.writer = writer;
        this.messages = messages;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
                daemon("vmport-" + self.configName() + "-effects"),
                (task, pool) -> LOG.error("effects queue full; an effect was dropped"));
        this.networkCheck = new NetworkCheck(self, database, producer);
        this.role = new RoleKeeper(self, database, clock, producer, views);
    }

    /** Starts reconciling the role every {@code intervalMs} (the heartbeat interval). */
    void startReconciling(long intervalMs) {
        role.start(intervalMs);
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
            case NETWORK_CHECK -> networkCheck.run(view);
            case PUBLISH_STATUS, START_PRIMARY_SERVICES -> {
                role.requestReconcile();
                database.servers().updateStatus(self, view.status(self).name(), clock.nowMs());
            }
            case STOP_PRIMARY_SERVICES -> {
                role.forget(view);
                database.servers().updateStatus(self, view.status(self).name(), clock.nowMs());
            }
            case MERGE_DATA -> merge(view);
        }
    }

    /** ST-12: waits for this side's kept rows to be stored (class javadoc). */
    private void merge(ClusterView view) {
        long budgetMs = mergeBudgetMs(view);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
        int kept = writer.unstored();
        int keptMessages = messages.unstored();
        while (writer.unstored() > 0 || writer.outage() || messages.unstored() > 0) {
            if (System.nanoTime() - deadline > 0) {
                String detail = writer.unstored() + " call record(s)/alarm(s) and " + messages.unstored()
                        + " message(s) of " + self.configName() + " not stored after " + budgetMs + " ms (database "
                        + (writer.outage() || messages.outage() ? "unreachable" : "slow")
                        + "); they stay kept and are written when it answers";
                LOG.error("{}: split-brain merge failed: {}", self.configName(), detail);
                producer.get().report(new NodeReport.MergeResult(false, detail));
                return;
            }
            writer.retryNow();
            messages.retryNow();
            sleep(50);
        }
        String detail = self.configName() + " stored the " + kept + " row(s) and " + keptMessages
                + " message(s) it kept through the split";
        LOG.info("{}: split-brain merge done: {}", self.configName(), detail);
        producer.get().report(new NodeReport.MergeResult(true, detail));
    }

    static long mergeBudgetMs(ClusterView view) {
        return Cluster.mergeBudgetMs(view.settings());
    }

    /** Sleeps {@code ms}; an interrupt ends the sleep and stays set. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads named {@code name}, for the node's single-thread executors. */
    static ThreadFactory daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        role.close();
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
