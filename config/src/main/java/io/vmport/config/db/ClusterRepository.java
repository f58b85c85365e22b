package io.vmport.config.db;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** The cluster row and its settings (SPEC CL-2): created once, by whichever node starts first. */
public final class ClusterRepository {
    private final Jdbc jdbc;

    ClusterRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The stored cluster, or empty when no node has created it yet. */
    public Optional<ClusterRow> find() {
        return jdbc.call("read the cluster", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT c.integration, c.port_count, c.created_at_ms, s.*"
                    + " FROM cluster c JOIN cluster_settings s ON s.id = c.id WHERE c.id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ClusterRow(
                        Columns.integration(rs.getString("integration"), "cluster.integration"),
                        rs.getInt("port_count"), rs.getLong("created_at_ms"), SettingsRepository.read(rs)));
            }
        });
    }

    /**
     * Creates the cluster with its settings when the database has none, and returns the stored one: the
     * arguments when this call created it, otherwise what the first node wrote (the arguments are then ignored).
     * Safe when both nodes start together: creators run one at a time, holding the primary-role row's lock.
     */
    public ClusterRow createIfAbsent(Integration integration, int portCount, ClusterSettings settings, long nowMs) {
        new ClusterRow(integration, portCount, nowMs, settings); // validates the arguments before any write
        jdbc.transaction("create the cluster", c -> {
            Jdbc.lockPrimaryRole(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cluster");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false; // another node created it first
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO cluster (id, integration, port_count, created_at_ms) VALUES (1, ?, ?, ?)")) {
                ps.setString(1, integration.configName());
                ps.setInt(2, portCount);
                ps.setLong(3, nowMs);
                ps.executeUpdate();
            }
            SettingsRepository.insert(c, settings, nowMs);
            return true;
        });
        return find().orElseThrow(() -> new DatabaseException("the cluster row vanished right after it was created"));
    }
}
