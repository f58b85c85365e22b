package io.vmport.config.db;

import io.vmport.config.ServerName;
import java.util.List;

/**
 * One server of the cluster as stored (SPEC section 2).
 *
 * @param name         publisher or subscriber
 * @param host         where it runs (host name or address)
 * @param sipPort      its SIP port
 * @param adminPort    its admin HTTP port
 * @param status       the upper-case SPEC status name, one of {@link #STATUSES}
 * @param takingCalls  false after Stop Taking Calls (SPEC CA-4)
 * @param lastUpdateMs when the row was last written (epoch milliseconds)
 */
public record ServerRow(ServerName name, String host, int sipPort, int adminPort, String status, boolean takingCalls,
                        long lastUpdateMs) {

    /** The SPEC section 2 status names. */
    public static final List<String> STATUSES = List.of("PRIMARY", "SECONDARY", "DEACTIVATED", "NOT_FUNCTIONING",
            "STARTING", "REPLICATING_DATA", "SPLIT_BRAIN_RECOVERY");
    static final int HOST_MAX_CHARS = 255;

    public ServerRow {
        if (name == null) {
            throw new IllegalArgumentException("server name must not be null");
        }
        if (host == null || host.isBlank() || host.length() > HOST_MAX_CHARS) {
            throw new IllegalArgumentException("server host must be 1 to " + HOST_MAX_CHARS + " characters, was " + host);
        }
        checkPort("sipPort", sipPort);
        checkPort("adminPort", adminPort);
        checkStatus(status);
    }

    public ServerRow withStatus(String newStatus, long nowMs) {
        return new ServerRow(name, host, sipPort, adminPort, newStatus, takingCalls, nowMs);
    }

    static void checkStatus(String status) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("server status must be one of " + STATUSES + ", was " + status);
        }
    }

    private static void checkPort(String field, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(field + " must be from 0 to 65535, was " + port);
        }
    }
}
