package io.vmport.engine.admin;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;

/**
 * What an administrative action would do to calls in progress (SPEC PM-3), said before it is done. Computed from the
 * published view, so it is advice: the cluster decides when the action runs. Immutable.
 *
 * @param action          the action
 * @param server          the server it concerns
 * @param status          that server's status now
 * @param callsInProgress calls on that server's ports now
 * @param callsDropped    calls the action would drop (deactivate, ST-4)
 * @param summary         one line for an administrator, e.g. {@code deactivate subscriber: drops 3 calls in progress (ST-4)}
 */
public record ActionPreview(AdminAction action, ServerName server, ServerStatus status, int callsInProgress,
                            int callsDropped, String summary) {

    static ActionPreview of(AdminAction action, ServerName server, boolean force, ClusterView view,
                            MonitorSnapshot snapshot) {
        ServerStatus status = view.status(server);
        int calls = view.callsInProgress(server, snapshot);
        String head = action.pathName() + " " + server.configName() + ": ";
        int dropped = 0;
        String what;
        switch (action) {
            case DEACTIVATE -> {
                if (status == ServerStatus.PRIMARY) {
                    what = "refused, " + server.configName() + " is PRIMARY and cannot be deactivated (ST-3)";
                } else {
                    dropped = calls;
                    what = "drops " + calls(calls) + " in progress (ST-4)"
                            + (calls > 0 && !force ? "; needs --force" : "");
                }
            }
            case STOP_TAKING_CALLS -> what = "takes no new call; " + calls(calls)
                    + " in progress finish normally (CA-4)";
            case MAKE_PRIMARY -> what = "calls in progress on both servers are not affected (ST-5); "
                    + calls(calls) + " in progress here";
            case ACTIVATE -> what = "no call in progress is affected (ST-6)";
            case TAKE_CALLS -> what = "takes new calls again; " + calls(calls) + " in progress are not affected";
            default -> throw new IllegalArgumentException("unknown action " + action);
        }
        return new ActionPreview(action, server, status, calls, dropped, head + what);
    }

    private static String calls(int n) {
        return n == 1 ? "1 call" : n + " calls";
    }
}
