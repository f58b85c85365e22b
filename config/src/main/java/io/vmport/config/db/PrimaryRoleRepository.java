package io.vmport.config.db;

import io.vmport.config.ServerName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * The PRIMARY role and its epoch, the fencing token of SPEC ST-13. The role is taken only by one conditional
 * UPDATE whose row count says who won, never by reading then writing; a write that only the PRIMARY may make
 * goes through {@link #fenced} and is refused once a newer epoch exists.
 */
public final class PrimaryRoleRepository {
    /** The database's clock in epoch milliseconds, as SQL. */
    static final String DB_NOW_MS = "CAST(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000 AS SIGNED)";

    private final Jdbc jdbc;

    PrimaryRoleRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The holder and epoch now in the database. */
    public PrimaryRoleRow current() {
        return jdbc.call("read the primary role", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT holder, epoch, changed_at_ms FROM primary_role WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        });
    }

    /**
     * Makes {@code who} the PRIMARY if the epoch is still {@code expectedEpoch}: one conditional UPDATE. Of any
     * number of servers racing with the same expected epoch, exactly one wins.
     *
     * @return the new epoch ({@code expectedEpoch + 1}) to carry on primary-only writes, or empty when the epoch
     *         had moved on (another server took the role first): read {@link #current()} and decide again
     */
    public OptionalLong tryTakePrimary(ServerName who, long expectedEpoch) {
        if (who == null) {
            throw new IllegalArgumentException("who must not be null");
        }
        int rows = jdbc.call("take the primary role for " + who.configName() + " at epoch " + expectedEpoch, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE primary_role SET holder = ?, epoch = epoch + 1, changed_at_ms = " + DB_NOW_MS
                            + " WHERE id = 1 AND epoch = ?")) {
                ps.setString(1, who.configName());
                ps.setLong(2, expectedEpoch);
                return ps.executeUpdate();
            }
        });
        return rows == 1 ? OptionalLong.of(expectedEpoch + 1) : OptionalLong.empty();
    }

    /** {@link #current()} with the database's clock, to tell how fresh the holder's lease is. */
    public PrimaryRoleLease lease() {
        return jdbc.call("read the primary role lease", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT holder, epoch, changed_at_ms, " + DB_NOW_MS + " AS db_now_ms FROM primary_role WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                PrimaryRoleRow row = read(rs);
                return new PrimaryRoleLease(row, rs.getLong("db_now_ms"));
            }
        });
    }

    /**
     * The holder renews its lease on the role: sets {@code changed_at_ms} to the database's clock if {@code who}
     * still holds the role at {@code epoch}. False when the role moved on (ST-13: stop primary-only work).
     */
    public boolean renew(ServerName who, long epoch) {
        if (who == null) {
            throw new IllegalArgumentException("who must not be null");
        }
        int rows = jdbc.call("renew the primary role of " + who.configName() + " at epoch " + epoch, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE primary_role SET changed_at_ms = " + DB_NOW_MS
                    + " WHERE id = 1 AND holder = ? AND epoch = ?")) {
                ps.setString(1, who.configName());
                ps.setLong(2, epoch);
                return ps.executeUpdate();
            }
        });
        return rows == 1;
    }

    /**
     * Takes the role as {@link #tryTakePrimary} does, with two more conditions: when {@code staleAfterMs > 0}, only
     * if the holder has not renewed its lease for that long (by the database's clock), so that a server that
     * cannot hear its peer does not take the role from a holder that is alive (ST-8, ST-13); and the new epoch is
     * at least {@code atLeastEpoch}, so that it is newer than every epoch the taker has seen.
     *
     * @return the new epoch, or empty when the epoch had moved on or the holder's lease is fresh
     */
    public OptionalLong tryTakeOver(ServerName who, long expectedEpoch, long atLeastEpoch, long staleAfterMs) {
        if (who == null) {
            throw new IllegalArgumentException("who must not be null");
        }
        if (staleAfterMs < 0) {
            throw new IllegalArgumentException("staleAfterMs must be >= 0, not " + staleAfterMs);
        }
        long newEpoch = Math.max(expectedEpoch + 1, atLeastEpoch);
        int rows = jdbc.call("take over the primary role for " + who.configName() + " at epoch " + expectedEpoch, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE primary_role SET holder = ?, epoch = ?, changed_at_ms = " + DB_NOW_MS
                            + " WHERE id = 1 AND epoch = ? AND (? = 0 OR holder IS NULL OR holder = ?"
                            + " OR changed_at_ms <= " + DB_NOW_MS + " - ?)")) {
                ps.setString(1, who.configName());
                ps.setLong(2, newEpoch);
                ps.setLong(3, expectedEpoch);
                ps.setLong(4, staleAfterMs);
                ps.setString(5, who.configName());
                ps.setLong(6, staleAfterMs);
                return ps.executeUpdate();
            }
        });
        return rows == 1 ? OptionalLong.of(newEpoch) : OptionalLong.empty();
    }

    /**
     * Runs {@code write} in one transaction only if {@code heldEpoch} is still the current epoch (SPEC ST-13).
     * The primary-role row stays locked until the commit, so a take-over waits for the write, and the write
     * never commits after a take-over.
     *
     * @param what a few words for messages, e.g. {@code "deactivate subscriber"}
     * @throws StaleEpochException when another server took the role since; nothing was written
     */
    public <T> T fenced(String what, long heldEpoch, FencedWrite<T> write) throws StaleEpochException {
        return jdbc.fenced(what, heldEpoch, write::write);
    }

    /** {@link #fenced} that answers {@code false} instead of throwing when the epoch is stale. */
    public boolean tryFenced(String what, long heldEpoch, FencedWrite<?> write) {
        try {
            jdbc.fenced(what, heldEpoch, write::write);
            return true;
        } catch (StaleEpochException e) {
            return false;
        }
    }

    static PrimaryRoleRow read(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            throw new DatabaseException("table primary_role has no row 1: the schema is not migrated");
        }
        String holder = rs.getString("holder");
        return new PrimaryRoleRow(holder == null ? null : Columns.server(holder, "primary_role.holder"),
                rs.getLong("epoch"), rs.getLong("changed_at_ms"));
    }
}
