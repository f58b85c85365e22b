package io.vmport.config.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Call records (SPEC CA-6), written in JDBC batches that the driver sends as multi-row inserts. A record whose
 * (call id, server) is already stored is skipped, so a batch written again after a database outage (SPEC BI-4)
 * or both sides' records after a split brain (SPEC ST-12) are stored exactly once.
 */
public final class CallRecordRepository {
    private static final String COLUMNS = "call_id, server, port, integration, caller, called, redirecting,"
            + " offered_at_ms, answered_at_ms, ended_at_ms, outcome, cause";

    private static final Comparator<CallRecordRow> KEY_ORDER =
            Comparator.comparing(CallRecordRow::callId).thenComparing(r -> r.server().configName());

    private final Jdbc jdbc;

    CallRecordRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the records in one transaction, all or none: on a {@link DatabaseException} nothing was stored and
     * the same collection can be written again.
     */
    public void insertAll(Collection<CallRecordRow> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbc.transaction("store " + records.size() + " call records", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_record (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE call_id = call_id")) {
                // In key order, so that two nodes writing overlapping batches lock rows in the same order.
                for (CallRecordRow r : records.stream().sorted(KEY_ORDER).toList()) {
                    ps.setString(1, r.callId());
                    ps.setString(2, r.server().configName());
                    ps.setString(3, r.port());
                    ps.setString(4, r.integration().configName());
                    ps.setString(5, r.caller());
                    ps.setString(6, r.called());
                    ps.setString(7, r.redirecting());
                    ps.setLong(8, r.offeredAtMs());
                    Columns.setNullableLong(ps, 9, r.answeredAtMs());
                    Columns.setNullableLong(ps, 10, r.endedAtMs());
                    ps.setString(11, r.outcome());
                    ps.setString(12, r.cause());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The {@code limit} most recently offered calls, newest first. */
    public List<CallRecordRow> newest(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        return jdbc.call("read the newest " + limit + " call records", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM call_record ORDER BY offered_at_ms DESC, call_id DESC, server DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<CallRecordRow> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                    return rows;
                }
            }
        });
    }

    public long count() {
        return jdbc.call("count the call records", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM call_record");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static CallRecordRow read(ResultSet rs) throws SQLException {
        return new CallRecordRow(rs.getString("call_id"), Columns.server(rs.getString("server"), "call_record.server"),
                rs.getString("port"), Columns.integration(rs.getString("integration"), "call_record.integration"),
                rs.getString("caller"), rs.getString("called"), rs.getString("redirecting"), rs.getLong("offered_at_ms"),
                Columns.nullableLong(rs, "answered_at_ms"), Columns.nullableLong(rs, "ended_at_ms"),
                rs.getString("outcome"), rs.getString("cause"));
    }
}
