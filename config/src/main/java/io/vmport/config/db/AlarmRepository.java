package io.vmport.config.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Alarms (SPEC AL-1). Inserts skip an id already stored, so writing the same alarm again (a retry after an
 * outage, SPEC BI-4; both sides' alarms after a split brain, SPEC ST-12) neither loses nor duplicates one.
 */
public final class AlarmRepository {
    private static final String COLUMNS = "id, raised_at_ms, server, name, detail";

    private final Jdbc jdbc;

    AlarmRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(AlarmRow alarm) {
        insertAll(List.of(alarm));
    }

    /** Stores the alarms in one batched transaction; those whose id is already stored are skipped. */
    public void insertAll(Collection<AlarmRow> alarms) {
        if (alarms.isEmpty()) {
            return;
        }
        jdbc.transaction("store " + alarms.size() + " alarms", c -> {
            // "ON DUPLICATE KEY UPDATE id = id" skips a stored id like INSERT IGNORE, without IGNORE's
            // downgrading of every other error (bad value, truncation) to a warning.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alarm (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id")) {
                // In key order, so that two nodes writing overlapping lists lock rows in the same order.
                for (AlarmRow a : alarms.stream().sorted(Comparator.comparing(AlarmRow::id)).toList()) {
                    ps.setString(1, a.id());
                    ps.setLong(2, a.raisedAtMs());
                    ps.setString(3, a.server().configName());
                    ps.setString(4, a.name());
                    ps.setString(5, a.detail());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The newest {@code limit} alarms, newest first. */
    public List<AlarmRow> newest(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        return jdbc.call("read the newest " + limit + " alarms", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM alarm ORDER BY raised_at_ms DESC, id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AlarmRow> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                    return rows;
                }
            }
        });
    }

    public long count() {
        return jdbc.call("count the alarms", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alarm");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static AlarmRow read(ResultSet rs) throws SQLException {
        return new AlarmRow(rs.getString("id"), rs.getLong("raised_at_ms"),
                Columns.server(rs.getString("server"), "alarm.server"), rs.getString("name"), rs.getString("detail"));
    }
}
