package io.vmport.config.db;

import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/** Reading and writing column values: enums by their configuration names, nullable numbers, clipped text. */
final class Columns {
    private Columns() {
    }

    static ServerName server(String value, String column) {
        for (ServerName s : ServerName.values()) {
            if (s.configName().equals(value)) {
                return s;
            }
        }
        throw unexpected(value, column, Arrays.stream(ServerName.values()).map(ServerName::configName).toList().toString());
    }

    static Integration integration(String value, String column) {
        for (Integration i : Integration.values()) {
            if (i.configName().equals(value)) {
                return i;
            }
        }
        throw unexpected(value, column, Arrays.stream(Integration.values()).map(Integration::configName).toList().toString());
    }

    static HuntOrder huntOrder(String value, String column) {
        for (HuntOrder h : HuntOrder.values()) {
            if (h.configName().equals(value)) {
                return h;
            }
        }
        throw unexpected(value, column, Arrays.stream(HuntOrder.values()).map(HuntOrder::configName).toList().toString());
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    /** At most {@code maxChars} code points of {@code text} (a column's width), or {@code null} for {@code null}. */
    static String clip(String text, int maxChars) {
        if (text == null || text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, maxChars));
    }

    private static DatabaseException unexpected(String value, String column, String allowed) {
        return new DatabaseException("unexpected value '" + value + "' in column " + column + "; expected one of " + allowed);
    }
}
