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
                    "UPDATE primary_role SET holder = ?, epoch = epoch + 1,"
                            + " changed_at_ms = CAST(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000 AS SIGNED)"
                            + " WHERE id = 1 AND epoch = ?")) {
                ps.setString(1, who.configName());
                ps.setLong(2, expectedEpoch);
                return ps.executeUpdate();
            }
        });
        return rows == 1 ? OptionalLong.of(expectedEpoch + 1) : OptionalLong.empty();
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
