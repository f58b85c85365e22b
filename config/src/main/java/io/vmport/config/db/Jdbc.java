package io.vmport.config.db;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs statements on the pool: one connection per call, autocommit or one transaction, and every
 * {@link SQLException} turned into a {@link DatabaseException} whose message carries the URL and the pool totals.
 */
final class Jdbc {
    /** Work on a connection; the connection is not the work's to close. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    static final int DEADLOCK_ATTEMPTS = 3;

    private final HikariDataSource pool;
    private final String safeUrl;

    Jdbc(HikariDataSource pool, String safeUrl) {
        this.pool = pool;
        this.safeUrl = safeUrl;
    }

    /** Runs {@code work} in autocommit mode. */
    <T> T call(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A transaction
     * that InnoDB chose as a deadlock victim is run again (up to {@value #DEADLOCK_ATTEMPTS} times in all), so
     * {@code work} must be re-runnable: a function of its arguments and the database.
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
                if (!isDeadlock(e) || attempt == DEADLOCK_ATTEMPTS) {
                    throw failure(what, e);
                }
                LOG.debug("deadlock on attempt {} to {}; running it again", attempt, what);
            }
        }
    }

    /**
     * Runs {@code work} in one transaction after locking the primary-role row and checking that its epoch is
     * {@code heldEpoch} (SPEC ST-13). The lock is held until commit, so no server can take the role between the
     * check and the write: a write made with an epoch that a take-over has replaced never commits.
     */
    <T> T fenced(String what, long heldEpoch, Work<T> work) throws StaleEpochException {
        try {
            return transaction(what, c -> {
                PrimaryRoleRow role = lockPrimaryRole(c);
                if (role.epoch() != heldEpoch) {
                    throw new Stale(new StaleEpochException(what, heldEpoch, role.epoch(), role.holder()));
                }
                return work.run(c);
            });
        } catch (Stale stale) {
            throw stale.refusal;
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

    /** MySQL and MariaDB error 1213: this transaction was rolled back to break a deadlock. */
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
