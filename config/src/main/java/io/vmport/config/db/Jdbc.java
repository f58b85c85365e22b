package io.vmport.config.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs statements on the pool: one connection per call, autocommit or one transaction, and every
 * {@link SQLException} turned into a {@link DatabaseException} whose message carries the URL and the pool totals.
 *
 * <p>Work that the server rolled back with error 1213 (an InnoDB deadlock victim, or on a Galera cluster a
 * transaction that lost certification to a conflicting write committed through another node) is run again, up to
 * {@value #CONFLICT_ATTEMPTS} times in all, after a jittered backoff of {@value #CONFLICT_BACKOFF_MS} ms doubling
 * per attempt. The server undid all of it, so the work runs again on what the winner wrote: a conditional update
 * such as taking the PRIMARY role re-reads the epoch and finds it moved on (ST-13). Work must be re-runnable: a
 * function of its arguments and the database.
 */
final class Jdbc {
    /** Work on a connection; the connection is not the work's to close. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    static final int CONFLICT_ATTEMPTS = 5;
    static final long CONFLICT_BACKOFF_MS = 5;

    private final HikariDataSource pool;
    private final String safeUrl;

    Jdbc(HikariDataSource pool, String safeUrl) {
        this.pool = pool;
        this.safeUrl = safeUrl;
    }

    /** Runs {@code work} in autocommit mode; run again when the server rolled it back in a conflict. */
    <T> T call(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                retryOrThrow(what, e, attempt);
            }
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws; run again when
     * the server rolled it back in a conflict (deadlock or certification failure).
     */
    <T> T transaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
            } catch (SQLException e) {
                retryOrThrow(what, e, attempt);
            }
        }
    }

    /** Returns after the backoff when {@code e} is a conflict and attempts are left; else throws its failure. */
    private void retryOrThrow(String what, SQLException e, int attempt) {
        if (!isDeadlock(e) || attempt == CONFLICT_ATTEMPTS) {
            throw failure(what, attempt > 1 ? new SQLException("after " + attempt + " attempts: " + e.getMessage(),
                    e.getSQLState(), e.getErrorCode(), e) : e);
        }
        long backoffMs = CONFLICT_BACKOFF_MS << (attempt - 1);
        long sleepMs = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs + 1);
        LOG.debug("conflict (error 1213) on attempt {} to {}; running it again in {} ms", attempt, what, sleepMs);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(sleepMs));
    }

    /**
     * Runs {@code work} in one transaction after locking the primary-role row and checking that its epoch is
     * {@code heldEpoch} (SPEC ST-13). The lock is held until commit, so no server can take the role between the
     * check and the write: a write made with an epoch that a take-over has replaced never commits. The row is
     * written too, which makes the same hold on a Galera cluster ({@link #touchPrimaryRole}).
     */
    <T> T fenced(String what, long heldEpoch, Work<T> work) throws StaleEpochException {
        try {
            return transaction(what, c -> {
                PrimaryRoleRow role = lockPrimaryRole(c);
                if (role.epoch() != heldEpoch) {
                    throw new Stale(new StaleEpochException(what, heldEpoch, role.epoch(), role.holder()));
                }
                touchPrimaryRole(c, heldEpoch);
                return work.run(c);
            });
        } catch (Stale stale) {
            throw stale.refusal;
        }
    }

    /**
     * Writes the primary-role row in the fenced transaction (the holder's lease, renewed). On one server the row
     * lock alone fences; on a Galera cluster a row lock is local to its node, and it is this write that puts the
     * row in the transaction's write set: a take-over committed first through another node makes the fenced
     * transaction fail certification (error 1213), and its re-run finds the new epoch and is refused.
     */
    private static void touchPrimaryRole(Connection c, long heldEpoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE primary_role SET changed_at_ms = GREATEST(changed_at_ms"
                + " + 1, " + PrimaryRoleRepository.DB_NOW_MS + ") WHERE id = 1 AND epoch = ?")) {
            ps.setLong(1, heldEpoch);
            ps.executeUpdate();
        }
    }

    /** Carries a fencing refusal out of {@link #transaction}, which rolls back on any runtime exception. */
    private static final class Stale extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient StaleEpochException refusal;

        Stale(StaleEpochException refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }
    }

    /**
     * Locks the primary-role row, which always exists, until the transaction ends: fenced writes hold it, and
     * the create-once operations use it to run one at a time across the cluster.
     */
    static PrimaryRoleRow lockPrimaryRole(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT holder, epoch, changed_at_ms FROM primary_role WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            return PrimaryRoleRepository.read(rs);
        }
    }

    /** {@code url=…, pool total=…, active=…, idle=…, waiting=…}. */
    String state() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null || pool.isClosed()) {
            return "url=" + safeUrl + ", pool " + pool.getPoolName() + " closed";
        }
        return "url=" + safeUrl + ", pool total=" + bean.getTotalConnections() + ", active=" + bean.getActiveConnections()
                + ", idle=" + bean.getIdleConnections() + ", waiting=" + bean.getThreadsAwaitingConnection()
                + ", max=" + pool.getMaximumPoolSize();
    }

    DatabaseException failure(String what, SQLException e) {
        return new DatabaseException("cannot " + what + ": " + e.getMessage() + " [SQLState " + e.getSQLState()
                + ", error " + e.getErrorCode() + "] (" + state() + ")", e);
    }

    /**
     * MySQL and MariaDB error 1213: this transaction was rolled back to break a deadlock, or (Galera) it lost
     * certification to a conflicting transaction of another node.
     */
    static boolean isDeadlock(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == 1213) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
