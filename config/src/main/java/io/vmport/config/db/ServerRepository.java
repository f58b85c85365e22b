package io.vmport.config.db;

import io.vmport.config.ServerName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two server rows. A node writes its own row freely; a change the PRIMARY makes to the other server's
 * status (deactivate, activate) is fenced by its epoch (SPEC ST-13).
 */
public final class ServerRepository {
    private static final String COLUMNS = "name, host, sip_port, admin_port, status, taking_calls, last_update_ms";

    private final Jdbc jdbc;

    ServerRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts or replaces the row of {@code row.name()}: a node writing itself. */
    public void upsert(ServerRow row) {
        jdbc.call("write server " + row.name().configName(), c -> {
            upsert(c, row);
            return null;
        });
    }

    /** {@link #upsert(ServerRow)} made by the PRIMARY, refused when {@code heldEpoch} is stale. */
    public void upsert(ServerRow row, long heldEpoch) throws StaleEpochException {
        jdbc.fenced("write server " + row.name().configName(), heldEpoch, c -> {
            upsert(c, row);
            return null;
        });
    }

    /** Sets the status of an existing row; {@code false} when the server has no row yet. */
    public boolean updateStatus(ServerName name, String status, long nowMs) {
        ServerRow.checkStatus(status);
        return jdbc.call("set the status of " + name.configName() + " to " + status,
                c -> updateStatus(c, name, status, nowMs));
    }

    /** {@link #updateStatus(ServerName, String, long)} made by the PRIMARY, refused when {@code heldEpoch} is stale. */
    public boolean updateStatus(ServerName name, String status, long nowMs, long heldEpoch) throws StaleEpochException {
        ServerRow.checkStatus(status);
        return jdbc.fenced("set the status of " + name.configName() + " to " + status, heldEpoch,
                c -> updateStatus(c, name, status, nowMs));
    }

    /** Stop Taking Calls / Take Calls (SPEC CA-4); {@code false} when the server has no row yet. */
    public boolean updateTakingCalls(ServerName name, boolean takingCalls, long nowMs) {
        return jdbc.call("set taking-calls of " + name.configName() + " to " + takingCalls, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE server SET taking_calls = ?, last_update_ms = ? WHERE name = ?")) {
                ps.setBoolean(1, takingCalls);
                ps.setLong(2, nowMs);
                ps.setString(3, name.configName());
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<ServerRow> find(ServerName name) {
        return jdbc.call("read server " + name.configName(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM server WHERE name = ?")) {
                ps.setString(1, name.configName());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The rows there are, publisher first. */
    public List<ServerRow> all() {
        return jdbc.call("read the servers", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM server");
                 ResultSet rs = ps.executeQuery()) {
                List<ServerRow> rows = new ArrayList<>(2);
                while (rs.next()) {
                    rows.add(read(rs));
                }
                rows.sort((a, b) -> a.name().compareTo(b.name()));
                return rows;
            }
        });
    }

    private static void upsert(Connection c, ServerRow row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO server (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE host = VALUES(host), sip_port = VALUES(sip_port),"
                + " admin_port = VALUES(admin_port), status = VALUES(status), taking_calls = VALUES(taking_calls),"
                + " last_update_ms = VALUES(last_update_ms)")) {
            ps.setString(1, row.name().configName());
            ps.setString(2, row.host());
            ps.setInt(3, row.sipPort());
            ps.setInt(4, row.adminPort());
            ps.setString(5, row.status());
            ps.setBoolean(6, row.takingCalls());
            ps.setLong(7, row.lastUpdateMs());
            ps.executeUpdate();
        }
    }

    private static boolean updateStatus(Connection c, ServerName name, String status, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE server SET status = ?, last_update_ms = ? WHERE name = ?")) {
            ps.setString(1, status);
            ps.setLong(2, nowMs);
            ps.setString(3, name.configName());
            return ps.executeUpdate() == 1;
        }
    }

    private static ServerRow read(ResultSet rs) throws SQLException {
        return new ServerRow(Columns.server(rs.getString("name"), "server.name"), rs.getString("host"),
                rs.getInt("sip_port"), rs.getInt("admin_port"), rs.getString("status"), rs.getBoolean("taking_calls"),
                rs.getLong("last_update_ms"));
    }
}
