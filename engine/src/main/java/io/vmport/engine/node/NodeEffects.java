package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.PrimaryRoleRow;
import io.vmport.engine.cluster.Effect;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the work the cluster asks for off the router thread (see {@link Effect}), one effect at a time on its
 * own thread:
 * <ul>
 * <li>NETWORK_CHECK (ST-8): tries each check address (ICMP/echo via {@link InetAddress#isReachable}, then a TCP
 *     connect to port 7) and publishes the result into the ring.</li>
 * <li>PUBLISH_STATUS, START_PRIMARY_SERVICES (ST-13): writes this server's status to its row and, when this
 *     node is PRIMARY in its view and the database names another holder, takes the role with one conditional
 *     UPDATE at the epoch just read. A lost race is logged; reconciling the cluster with a newer database epoch
 *     ({@code Cluster.onNewerEpoch}) has no pipeline event yet and is left to the split-brain work.</li>
 * <li>STOP_PRIMARY_SERVICES, MERGE_DATA: logged; the services they concern do not exist yet.</li>
 * </ul>
 */
final class NodeEffects implements EffectSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeEffects.class);
    static final int CHECK_TIMEOUT_MS = 1_000;
    private static final int ECHO_PORT = 7;

    private final ServerName self;
    private final Database database;
    private final WallClock clock;
    private final Supplier<PipelineProducer> producer;
    private final ExecutorService executor;

    NodeEffects(ServerName self, Database database, WallClock clock, Supplier<PipelineProducer> producer) {
        this.self = self;
        this.database = database;
        this.clock = clock;
        this.producer = producer;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(10_000),
                task -> {
                    Thread t = new Thread(task, "vmport-" + self.configName() + "-effects");
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> LOG.error("effects queue full; an effect was dropped"));
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
            case NETWORK_CHECK -> {
                boolean reachable = networkReachable(view.settings().networkCheck());
                producer.get().networkCheckResult(reachable);
            }
            case PUBLISH_STATUS, START_PRIMARY_SERVICES -> publishStatus(view);
            default -> LOG.info("effect {}: nothing to do yet ({} is {})", effect, self.configName(),
                    view.status(self));
        }
    }

    private void publishStatus(ClusterView view) {
        long nowMs = clock.nowMs();
        database.servers().updateStatus(self, view.status(self).name(), nowMs);
        if (view.primary() != self) {
            return;
        }
        PrimaryRoleRow role = database.primaryRole().current();
        if (role.isHeldBy(self)) {
            return;
        }
        OptionalLong taken = database.primaryRole().tryTakePrimary(self, role.epoch());
        if (taken.isPresent()) {
            LOG.info("{} took the PRIMARY role in the database at epoch {} (was {} at {})", self.configName(),
                    taken.getAsLong(), role.holder() == null ? "nobody" : role.holder().configName(), role.epoch());
        } else {
            LOG.warn("{} could not take the PRIMARY role at database epoch {}: another server moved it first ({})",
                    self.configName(), role.epoch(), database.primaryRole().current());
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
