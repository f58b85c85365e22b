package io.vmport.config.db;

import io.vmport.config.ServerName;
import java.util.UUID;

/**
 * A message without its audio (SPEC MS-1). Text longer than its column is clipped (a message is never refused
 * for a long caller number).
 *
 * @param id           made by the node that recorded it ({@link #newId()}), unique in the cluster: a write retried
 *                     after an outage stores it once (MS-2)
 * @param mailbox      the mailbox's extension
 * @param caller       who left it, or {@code null}
 * @param server       the server that took it
 * @param port         the port that took it
 * @param receivedAtMs epoch milliseconds when its recording started
 * @param durationMs   its length
 * @param heard        whether it has been heard
 */
public record MessageRow(String id, String mailbox, String caller, ServerName server, String port, long receivedAtMs,
                         long durationMs, boolean heard) {
    public static final int ID_MAX_CHARS = 36;

    public MessageRow {
        if (id == null || id.isEmpty() || id.length() > ID_MAX_CHARS || !isIdText(id)) {
            throw new IllegalArgumentException("message id must be 1 to " + ID_MAX_CHARS
                    + " printable ASCII characters without '/', was " + id);
        }
        MailboxRow.requireExtension(mailbox);
        if (server == null || port == null) {
            throw new IllegalArgumentException("message " + id + ": server and port must not be null");
        }
        if (durationMs < 0) {
            throw new IllegalArgumentException("message " + id + ": durationMs must not be negative, was " + durationMs);
        }
        caller = Columns.clip(caller, CallRecordRow.NUMBER_MAX_CHARS);
        port = Columns.clip(port, CallRecordRow.PORT_MAX_CHARS);
    }

    /** Printable ASCII without '/'; a loop, not a stream: every row of a listing is checked (issue 14). */
    private static boolean isIdText(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c >= 127 || c == '/') {
                return false;
            }
        }
        return true;
    }

    /** A new cluster-unique message id: a random UUID. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
