package io.vmport.config.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Galera's own part of a node kill, watched from outside vmport (issue 18). A thread commits one-row inserts
 * through a surviving node back to back; {@link #poll} reads another survivor's {@code wsrep_cluster_size}. After
 * {@link #killed}, the first insert begun after the kill ends when the cluster commits again (it waited for the
 * dead node to leave the view), and the size drops when the new view is installed: both timed from the kill.
 */
public final class GaleraStallWatch implements AutoCloseable {
    private final Connection writer;
    private final Connection viewer;
    private final int sizeBefore;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long killNs;
    /** End of the first insert begun after the kill; 0 until then. */
    private volatile long resumedNs;
    private volatile String failure;
    private volatile int refusals;
    private long viewNs;

    /** Writes through node {@code writeThrough} into {@code database}, reads the view of node {@code viewFrom}. */
    public GaleraStallWatch(GaleraCluster galera, String database, int writeThrough, int viewFrom)
            throws SQLException {
        this.sizeBefore = galera.size();
        this.writer = galera.rootConnection(writeThrough, database);
        this.viewer = galera.rootConnection(viewFrom, "");
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS kill_probe (id BIGINT AUTO_INCREMENT PRIMARY KEY, at_ns BIGINT)");
        }
        thread = new Thread(this::run, "galera-stall-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Marks the kill (call just before killing) and forgets what an earlier kill showed. */
    public void killed(long nowNs) {
        resumedNs = 0;
        viewNs = 0;
        refusals = 0;
        killNs = nowNs;
    }

    /**
     * Inserts until closed. An insert the node refuses (a moment without a primary component while the view
     * changes) is tried again: the cluster has not resumed until one commits. A closed connection ends the watch.
     */
    private void run() {
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO kill_probe (at_ns) VALUES (?)")) {
            while (running) {
                long startNs = System.nanoTime();
                ps.setLong(1, startNs);
                try {
                    ps.executeUpdate();
                    long k = killNs;
                    if (k != 0 && resumedNs == 0 && startNs > k) {
                        resumedNs = System.nanoTime();
                    }
                } catch (SQLException refused) {
                    if (writer.isClosed()) {
                        throw refused;
                    }
                    refusals++;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        } catch (SQLException e) {
            failure = e.getMessage();
        }
    }

    /** Reads the viewed node's cluster size once; notes when it first dropped after the kill. */
    public void poll() {
        if (viewNs != 0 || killNs == 0) {
            return;
        }
        try (Statement st = viewer.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'")) {
            if (rs.next() && Integer.parseInt(rs.getString(2)) < sizeBefore) {
                viewNs = System.nanoTime();
            }
        } catch (SQLException e) {
            failure = e.getMessage();
        }
    }

    /**
     * Polls until the first commit after the kill and the view change are both seen, at most {@code timeoutMs}.
     *
     * @throws IllegalStateException when the watch failed or saw neither in time
     */
    public void await(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (resumedNs == 0 || viewNs == 0) {
            if (failure != null || System.nanoTime() > deadline) {
                throw new IllegalStateException("kill not seen within " + timeoutMs + " ms: " + this);
            }
            poll();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Kill to the end of the first commit begun after it, ms; -1 if not seen. */
    public long commitResumedMs() {
        return since(resumedNs);
    }

    /** Kill to the view without the killed node, as polled, ms; -1 if not seen. */
    public long viewChangedMs() {
        return since(viewNs);
    }

    private long since(long ns) {
        return ns == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(ns - killNs);
    }

    @Override
    public String toString() {
        return "view without the node after " + viewChangedMs() + " ms, first direct commit begun after the kill"
                + " ended after " + commitResumedMs() + " ms" + (refusals == 0 ? "" : " (" + refusals + " inserts refused"
                + " meanwhile)") + (failure == null ? "" : "; watch failed: " + failure);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : new Connection[] {writer, viewer}) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the watch is over
            }
        }
    }
}
