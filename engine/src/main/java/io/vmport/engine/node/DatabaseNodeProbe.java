package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.config.db.OwnNodeHealth;
import io.vmport.engine.pipeline.NodeReport;
import io.vmport.engine.pipeline.PipelineProducer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, every interval on its own thread, how this server's own database node stands in its replication cluster
 * (Galera's status variables) and tells the pipeline when that changes ({@link NodeReport.DatabaseNode}): while
 * the node is not {@code Synced} the server is REPLICATING_DATA, and its receive queue is the replication backlog
 * of ST-10 (SPEC section 2). It reads over {@link io.vmport.config.db.Database#ownNodeDataSource()}: the URL's first host
 * only, this node's own database node (DESIGN section 4), never one the pool failed over to.
 *
 * <pre>
 * SHOW GLOBAL VARIABLES LIKE 'wsrep_on'                    ON: a Galera node; absent or OFF: not replicated
 * SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'      Synced | Joining | Joined | Donor/Desynced | ...
 * SHOW GLOBAL STATUS LIKE 'wsrep_local_recv_queue'         write sets received, not applied yet
 * </pre>
 *
 * A database without replication (plain MariaDB or MySQL, the embedded one) reads as {@link Reading#NOT_REPLICATED}
 * and nothing is reported. A probe that fails is logged and tried again next interval: the ST-7 database check
 * is the role reconciliation's.
 *
 * <p>The connection to a replicated node is kept from one probe to the next, and opened again at the next probe
 * after it failed: a restarted node is read within one interval of taking connections, while it is still joining
 * (issue 18), as Joining or Joined, never first as Synced.
 *
 * <p>Every probe also tells the pool ({@link OwnNodeHealth}): a read that fails, or that goes unanswered for
 * {@code heldReadTimeoutMs} ({@code ownNodeTimeoutMs}) on the connection kept from a probe that was answered, makes
 * the pool abort its connections to that node and write through the next host; a read of a Synced node lets it go
 * back (issue 18: a database host that goes silent without closing its connections). Only the kept connection has
 * that short limit: a new connection and its first read wait for the data source's own timeouts, so that a node
 * busy joining (its status reads slow during a state transfer) is still read as Joining.
 */
final class DatabaseNodeProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseNodeProbe.class);

    /**
     * What the database node said.
     *
     * @param replicated   it is a node of a replication cluster (wsrep on)
     * @param state        its state comment ({@code Synced}, {@code Joined}...), or "none" when not replicated
     * @param receiveQueue its receive queue length, 0 when not replicated
     */
    record Reading(boolean replicated, String state, long receiveQueue) {
        static final Reading NOT_REPLICATED = new Reading(false, "none", 0);

        Reading {
            Objects.requireNonNull(state, "state");
        }

        /** Synced with its cluster: it applies what the others write as they write it. */
        boolean synced() {
            return !replicated || state.equalsIgnoreCase("Synced");
        }

        /**
         * From the three values as the database gives them, each null when the variable does not exist.
         *
         * @throws IllegalArgumentException when the queue length is not a number
         */
        static Reading of(String wsrepOn, String stateComment, String receiveQueue) {
            if (wsrepOn == null || !wsrepOn.equalsIgnoreCase("ON") || stateComment == null) {
                return NOT_REPLICATED;
            }
            long queue;
            try {
                queue = receiveQueue == null ? 0 : Long.parseLong(receiveQueue.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("wsrep_local_recv_queue must be a number, was '" + receiveQueue
                        + "'", e);
            }
            return new Reading(true, stateComment, queue);
        }
    }

    private final ServerName self;
    private final DataSource database;
    private final OwnNodeHealth health;
    private final long heldReadTimeoutMs;
    private final Supplier<PipelineProducer> producer;
    private final ScheduledExecutorService timer;
    // on the probe thread
    private Reading reported;
    private boolean loggedNotReplicated;
    private int failedProbes;
    /** The connection kept to a replicated node; null when none is open. */
    private Connection held;

    DatabaseNodeProbe(ServerName self, DataSource database, Supplier<PipelineProducer> producer) {
        this(self, database, OwnNodeHealth.NONE, 0, producer);
    }

    /**
     * As above, telling {@code health} what each probe found; a read on the kept connection unanswered for
     * {@code heldReadTimeoutMs} fails (0: the data source's timeout).
     */
    DatabaseNodeProbe(ServerName self, DataSource database, OwnNodeHealth health, long heldReadTimeoutMs,
                      Supplier<PipelineProducer> producer) {
        if (heldReadTimeoutMs < 0 || heldReadTimeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("heldReadTimeoutMs must be 0.." + Integer.MAX_VALUE + ", was "
                    + heldReadTimeoutMs);
        }
        this.self = Objects.requireNonNull(self, "self");
        this.database = Objects.requireNonNull(database, "database");
        this.health = Objects.requireNonNull(health, "health");
        this.heldReadTimeoutMs = heldReadTimeoutMs;
        this.producer = Objects.requireNonNull(producer, "producer");
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "vmport-" + self.configName() + "-db-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes every {@code intervalMs}, the first time at once. */
    void start(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("intervalMs must be > 0, was " + intervalMs);
        }
        timer.scheduleWithFixedDelay(this::probe, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** One probe: reads, and reports a reading of a replicated node that differs from the last one reported. */
    void probe() {
        Reading now;
        try {
            now = read();
        } catch (SQLException | RuntimeException e) {
            health.silent(e);
            if (failedProbes++ == 0) {
                LOG.warn("{}: cannot read the replication state of its database node: {}; trying every probe",
                        self.configName(), e.getMessage());
            } else {
                LOG.debug("{}: database node still unreachable ({} probes): {}", self.configName(), failedProbes,
                        e.getMessage());
            }
            return;
        }
        health.answered(now.synced());
        if (failedProbes > 0) {
            LOG.info("{}: its database node answers again after {} failed probes: {}", self.configName(),
                    failedProbes, now);
            failedProbes = 0;
        }
        if (!now.replicated()) {
            if (!loggedNotReplicated) {
                loggedNotReplicated = true;
                LOG.info("{}: its database is not a node of a replication cluster (no wsrep): never"
                        + " REPLICATING_DATA", self.configName());
            }
            return;
        }
        if (now.equals(reported)) {
            return;
        }
        try {
            producer.get().report(new NodeReport.DatabaseNode(now.synced(), now.state(), now.receiveQueue()));
            reported = now;
        } catch (IllegalStateException stopping) {
            LOG.debug("{}: database node state not reported: {}", self.configName(), stopping.getMessage());
        }
    }

    /**
     * Reads the database node's state now (the queries of the class javadoc), over the connection kept from the
     * last probe or a new one; keeps it when the node is replicated, else gives it back.
     */
    Reading read() throws SQLException {
        boolean kept = held != null;
        Connection c = kept ? held : database.getConnection();
        held = null;
        Reading reading = Reading.NOT_REPLICATED;
        if (kept && heldReadTimeoutMs > 0) {
            try {
                c.setNetworkTimeout(Runnable::run, (int) heldReadTimeoutMs); // answered before: silence is news
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
        }
        try (Statement st = c.createStatement()) {
            String on = value(st, "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'");
            if (on != null && on.equalsIgnoreCase("ON")) {
                reading = Reading.of(on, value(st, "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'"),
                        value(st, "SHOW GLOBAL STATUS LIKE 'wsrep_local_recv_queue'"));
            }
        } finally {
            if (reading.replicated()) {
                held = c;
            } else {
                closeQuietly(c);
            }
        }
        return reading;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a database node connection: {}", e.getMessage());
        }
    }

    /** The Value column of a SHOW ... LIKE answer, or null when there is no such variable. */
    private static String value(Statement st, String show) throws SQLException {
        try (ResultSet rs = st.executeQuery(show)) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("{}: database node probe still running after 2 s", self.configName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = held;
        if (c != null) {
            closeQuietly(c);
        }
    }
}
