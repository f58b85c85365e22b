package io.vmport.engine.cluster;

import io.vmport.config.ServerName;

import java.util.Arrays;

/**
 * What an administrative action (SPEC PM-3) or a cluster event did: done or refused with the reason, the status
 * of the server it concerned afterwards, how many calls in progress it affected, and the ports whose calls it
 * dropped, which the pipeline hangs up and records (CA-5, CA-6). Immutable.
 */
public final class ActionResult {

    private static final int[] NO_PORTS = new int[0];

    /** Returned by events that changed nothing. */
    public static final ActionResult NOTHING = new ActionResult(true, "nothing changed", null, null, 0, NO_PORTS);

    private final boolean ok;
    private final String reason;
    private final ServerName server;
    private final ServerStatus status;
    private final int callsAffected;
    private final int[] droppedPorts;

    private ActionResult(boolean ok, String reason, ServerName server, ServerStatus status, int callsAffected,
                         int[] droppedPorts) {
        this.ok = ok;
        this.reason = reason;
        this.server = server;
        this.status = status;
        this.callsAffected = callsAffected;
        this.droppedPorts = droppedPorts;
    }

    static ActionResult done(ServerName server, ServerStatus status, String what, int callsAffected,
                             int[] droppedPorts) {
        return new ActionResult(true, what, server, status, callsAffected,
                droppedPorts == null ? NO_PORTS : droppedPorts);
    }

    static ActionResult refused(ServerName server, ServerStatus status, String reason, int callsAffected) {
        return new ActionResult(false, reason, server, status, callsAffected, NO_PORTS);
    }

    /**
     * What the other server's node answered to an action forwarded to it (PM-4: an action works on either node).
     * Its dropped calls are that node's to hang up, so none are listed here.
     */
    public static ActionResult fromPeer(boolean ok, String reason, ServerName server, ServerStatus status,
                                        int callsAffected) {
        return new ActionResult(ok, reason, server, status, callsAffected, NO_PORTS);
    }

    /** True when done (or, for a preview, when it would be done). */
    public boolean ok() {
        return ok;
    }

    public boolean refused() {
        return !ok;
    }

    /** Why it was refused; or what was done, in words for an administrator. */
    public String reason() {
        return reason;
    }

    /** The server the action or event concerned; null for {@link #NOTHING}. */
    public ServerName server() {
        return server;
    }

    /** That server's status afterwards (for a refusal or a preview: now). */
    public ServerStatus status() {
        return status;
    }

    /** Calls in progress affected: dropped, left to drain, or (refused deactivation) that would be dropped. */
    public int callsAffected() {
        return callsAffected;
    }

    /** The ports whose calls were dropped, in index order (a copy). */
    public int[] droppedPorts() {
        return droppedPorts.clone();
    }

    public int droppedCount() {
        return droppedPorts.length;
    }

    public int droppedPort(int i) {
        return droppedPorts[i];
    }

    @Override
    public String toString() {
        return (ok ? "done" : "refused") + "[" + (server == null ? "-" : server.configName()) + " " + status
                + ", callsAffected=" + callsAffected + ", dropped=" + Arrays.toString(droppedPorts) + ": " + reason
                + "]";
    }
}
