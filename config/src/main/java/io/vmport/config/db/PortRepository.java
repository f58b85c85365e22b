package io.vmport.config.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The port plan (SPEC PT-1, PT-2), kept in plan order. It is written once with the cluster
 * ({@link #createPlanIfAbsent}) and replaced afterwards by the PRIMARY only (fenced, SPEC ST-13).
 */
public final class PortRepository {
    private static final String COLUMNS =
            "name, server, integration, enabled, answer_calls, send_notifications, send_mwi, plan_order";

    private final Jdbc jdbc;

    PortRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Every port, in plan order. */
    public List<PortRow> all() {
        return jdbc.call("read the port plan", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM port ORDER BY plan_order");
                 ResultSet rs = ps.executeQuery()) {
                List<PortRow> ports = new ArrayList<>();
                while (rs.next()) {
                    ports.add(read(rs));
                }
                return ports;
            }
        });
    }

    /**
     * Stores {@code plan} when no plan is stored: for the node that creates the cluster, before any server is
     * PRIMARY. Safe when both nodes do it together: they run one at a time, holding the primary-role row's lock;
     * one plan is stored whole, the other call changes nothing.
     *
     * @return whether this call stored it
     */
    public boolean createPlanIfAbsent(List<PortRow> plan) {
        checkPlan(plan);
        return jdbc.transaction("store the port plan of " + plan.size() + " ports", c -> {
            Jdbc.lockPrimaryRole(c); // creators run one at a time
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM port");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
            insert(c, plan);
            return true;
        });
    }

    /**
     * Replaces the whole plan in one transaction: an administrative change by the PRIMARY (SPEC ST-13).
     *
     * @throws StaleEpochException when {@code heldEpoch} is no longer current; nothing was written
     */
    public void replacePlan(List<PortRow> plan, long heldEpoch) throws StaleEpochException {
        checkPlan(plan);
        jdbc.fenced("replace the port plan with " + plan.size() + " ports", heldEpoch, c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM port");
            }
            insert(c, plan);
            return null;
        });
    }

    /**
     * Enables or disables one port, by the PRIMARY (SPEC ST-13).
     *
     * @return {@code false} when there is no such port
     */
    public boolean setEnabled(String name, boolean enabled, long heldEpoch) throws StaleEpochException {
        return jdbc.fenced((enabled ? "enable" : "disable") + " port " + name, heldEpoch, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE port SET enabled = ? WHERE name = ?")) {
                ps.setBoolean(1, enabled);
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static void insert(Connection c, List<PortRow> plan) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO port (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < plan.size(); i++) {
                PortRow p = plan.get(i);
                ps.setString(1, p.name());
                ps.setString(2, p.server());
                ps.setString(3, p.integration().configName());
                ps.setBoolean(4, p.enabled());
                ps.setBoolean(5, p.answerCalls());
                ps.setBoolean(6, p.sendNotifications());
                ps.setBoolean(7, p.sendMwi());
                ps.setInt(8, i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void checkPlan(List<PortRow> plan) {
        if (plan == null || plan.isEmpty()) {
            throw new IllegalArgumentException("a port plan has at least one port");
        }
        Set<String> names = new HashSet<>();
        for (PortRow p : plan) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("port name " + p.name() + " appears twice in the plan");
            }
        }
    }

    private static PortRow read(ResultSet rs) throws SQLException {
        return new PortRow(rs.getString("name"), rs.getString("server"),
                Columns.integration(rs.getString("integration"), "port.integration"), rs.getBoolean("enabled"),
                rs.getBoolean("answer_calls"), rs.getBoolean("send_notifications"), rs.getBoolean("send_mwi"));
    }
}
