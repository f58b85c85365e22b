package io.vmport.config.db;

import io.vmport.config.ClusterSettings;
import io.vmport.config.ConfigException;
import io.vmport.config.HostPort;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide settings (SPEC CL-2): one row with a column per {@link ClusterSettings} field. They are
 * written with the cluster ({@link ClusterRepository#createIfAbsent}) and changed afterwards by the PRIMARY only.
 */
public final class SettingsRepository {
    static final int NETWORK_CHECK_MAX_CHARS = 4000;
    private static final String COLUMNS = "auto_failover, auto_failback, failback_hold_down_ms, deactivate_on_backlog,"
            + " replication_backlog_limit, absorb_peer_ports_on_failover, hunt_order, heartbeat_interval_ms,"
            + " local_heartbeat_timeout_ms, remote_heartbeat_timeout_ms, heartbeat_trace, network_check,"
            + " max_message_seconds, silence_seconds, min_message_seconds, media_timeout_seconds, mwi_target,"
            + " mwi_sends_per_second";
    /** The parameter index of updated_at_ms, after the columns above. */
    private static final int UPDATED_AT = 19;

    private final Jdbc jdbc;

    SettingsRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored settings, or empty when the cluster has not been created. */
    public Optional<ClusterSettings> load() {
        return jdbc.call("load the cluster settings", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cluster_settings WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    /**
     * Replaces the settings: an administrative change, which only the PRIMARY makes (SPEC ST-13).
     *
     * @throws StaleEpochException when {@code heldEpoch} is no longer current; nothing was written
     * @throws DatabaseException   when the cluster has not been created
     */
    public void save(ClusterSettings settings, long heldEpoch, long nowMs) throws StaleEpochException {
        String encodedNetworkCheck = encodeNetworkCheck(settings.networkCheck());
        jdbc.fenced("save the cluster settings", heldEpoch, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE cluster_settings SET auto_failover = ?,"
                    + " auto_failback = ?, failback_hold_down_ms = ?, deactivate_on_backlog = ?,"
                    + " replication_backlog_limit = ?, absorb_peer_ports_on_failover = ?, hunt_order = ?,"
                    + " heartbeat_interval_ms = ?, local_heartbeat_timeout_ms = ?, remote_heartbeat_timeout_ms = ?,"
                    + " heartbeat_trace = ?, network_check = ?, max_message_seconds = ?, silence_seconds = ?,"
                    + " min_message_seconds = ?, media_timeout_seconds = ?, mwi_target = ?, mwi_sends_per_second = ?,"
                    + " updated_at_ms = ?"
                    + " WHERE id = 1")) {
                bind(ps, settings, encodedNetworkCheck);
                ps.setLong(UPDATED_AT, nowMs);
                if (ps.executeUpdate() != 1) {
                    throw new DatabaseException("cannot save the cluster settings: the cluster has not been created");
                }
                return null;
            }
        });
    }

    /** Inserts the row, as part of creating the cluster. */
    static void insert(Connection c, ClusterSettings settings, long nowMs) throws SQLException {
        String encodedNetworkCheck = encodeNetworkCheck(settings.networkCheck());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_settings (" + COLUMNS
                + ", updated_at_ms, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
            bind(ps, settings, encodedNetworkCheck);
            ps.setLong(UPDATED_AT, nowMs);
            ps.executeUpdate();
        }
    }

    static ClusterSettings read(ResultSet rs) throws SQLException {
        String networkCheck = rs.getString("network_check");
        String mwiTarget = rs.getString("mwi_target");
        return new ClusterSettings(
                rs.getBoolean("auto_failover"),
                rs.getBoolean("auto_failback"),
                rs.getLong("failback_hold_down_ms"),
                rs.getBoolean("deactivate_on_backlog"),
                rs.getLong("replication_backlog_limit"),
                rs.getBoolean("absorb_peer_ports_on_failover"),
                Columns.huntOrder(rs.getString("hunt_order"), "cluster_settings.hunt_order"),
                rs.getLong("heartbeat_interval_ms"),
                rs.getLong("local_heartbeat_timeout_ms"),
                rs.getLong("remote_heartbeat_timeout_ms"),
                rs.getBoolean("heartbeat_trace"),
                networkCheck.isEmpty() ? List.of() : Arrays.asList(networkCheck.split(",", -1)),
                rs.getLong("max_message_seconds"),
                rs.getLong("silence_seconds"),
                rs.getLong("min_message_seconds"),
                rs.getLong("media_timeout_seconds"),
                mwiTarget == null ? Optional.empty()
                        : Optional.of(HostPort.parse("cluster_settings.mwi_target", mwiTarget)),
                rs.getInt("mwi_sends_per_second"));
    }

    private static void bind(PreparedStatement ps, ClusterSettings s, String encodedNetworkCheck) throws SQLException {
        ps.setBoolean(1, s.autoFailover());
        ps.setBoolean(2, s.autoFailback());
        ps.setLong(3, s.failbackHoldDownMs());
        ps.setBoolean(4, s.deactivateOnBacklog());
        ps.setLong(5, s.replicationBacklogLimit());
        ps.setBoolean(6, s.absorbPeerPortsOnFailover());
        ps.setString(7, s.huntOrder().configName());
        ps.setLong(8, s.heartbeatIntervalMs());
        ps.setLong(9, s.localHeartbeatTimeoutMs());
        ps.setLong(10, s.remoteHeartbeatTimeoutMs());
        ps.setBoolean(11, s.heartbeatTrace());
        ps.setString(12, encodedNetworkCheck);
        ps.setLong(13, s.maxMessageSeconds());
        ps.setLong(14, s.silenceSeconds());
        ps.setLong(15, s.minMessageSeconds());
        ps.setLong(16, s.mediaTimeoutSeconds());
        ps.setString(17, s.mwiTarget().map(HostPort::toString).orElse(null));
        ps.setInt(18, s.mwiSendsPerSecond());
    }

    /** The addresses joined by ','; refuses an address that is empty or holds a ',', and a list too long to store. */
    static String encodeNetworkCheck(List<String> addresses) {
        for (String address : addresses) {
            if (address == null || address.isBlank() || address.indexOf(',') >= 0) {
                throw new ConfigException("cluster.settings.networkCheck", address, "host names or IP addresses");
            }
        }
        String joined = String.join(",", addresses);
        if (joined.length() > NETWORK_CHECK_MAX_CHARS) {
            throw new ConfigException("cluster.settings.networkCheck", joined.substring(0, 40) + "...",
                    "at most " + NETWORK_CHECK_MAX_CHARS + " characters in all");
        }
        return joined;
    }
}
