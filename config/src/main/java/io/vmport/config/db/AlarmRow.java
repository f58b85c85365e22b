package io.vmport.config.db;

import io.vmport.config.ServerName;
import java.util.UUID;

/**
 * An alarm as stored (SPEC AL-1).
 *
 * @param id         unique across the cluster, made where the alarm is raised ({@link #raise}); lets a split-brain
 *                   merge (SPEC ST-12) store each alarm exactly once
 * @param raisedAtMs when it was raised (epoch milliseconds)
 * @param server     the server that raised it
 * @param name       e.g. {@code AutoFailoverSucceeded}
 * @param detail     free text, clipped to {@value #DETAIL_MAX_CHARS} characters
 */
public record AlarmRow(String id, long raisedAtMs, ServerName server, String name, String detail) {

    public static final int ID_MAX_CHARS = 36;
    public static final int NAME_MAX_CHARS = 64;
    public static final int DETAIL_MAX_CHARS = 2000;

    public AlarmRow {
        if (id == null || id.isEmpty() || id.length() > ID_MAX_CHARS || !id.chars().allMatch(ch -> ch > 32 && ch < 127)) {
            throw new IllegalArgumentException("alarm id must be 1 to " + ID_MAX_CHARS + " printable ASCII characters, was "
                    + id);
        }
        if (server == null) {
            throw new IllegalArgumentException("alarm " + id + ": server must not be null");
        }
        if (name == null || name.isBlank() || name.length() > NAME_MAX_CHARS) {
            throw new IllegalArgumentException("alarm name must be 1 to " + NAME_MAX_CHARS + " characters, was " + name);
        }
        detail = Columns.clip(detail == null ? "" : detail, DETAIL_MAX_CHARS);
    }

    /** A new alarm with a fresh random id. */
    public static AlarmRow raise(ServerName server, String name, String detail, long raisedAtMs) {
        return new AlarmRow(UUID.randomUUID().toString(), raisedAtMs, server, name, detail);
    }
}
