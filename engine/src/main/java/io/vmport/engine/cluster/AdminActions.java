package io.vmport.engine.cluster;

import io.vmport.config.ServerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.cluster.ServerStatus.DEACTIVATED;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.REPLICATING_DATA;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;
import static io.vmport.engine.cluster.ServerStatus.STARTING;

/**
 * The rules of the administrative actions (SPEC PM-3, ST-3..ST-6, CA-4): when each is refused and why, what it
 * does to calls in progress, and the statuses it leads to. Each runs either as a preview (nothing changes) or
 * for real, through the cluster's one transition.
 */
final class AdminActions {

    private static final Logger LOG = LoggerFactory.getLogger(AdminActions.class);

    private final Cluster cluster;

    AdminActions(Cluster cluster) {
        this.cluster = cluster;
    }

    ActionResult perform(AdminAction action, ServerName server, boolean force, boolean apply, long nowNs) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(server, "server");
        ServerState me = cluster.state(cluster.self());
        if (!me.status.acceptsAdminChanges()) {
            return refuse(server, "this node (" + me.label() + ") is " + me.status
                    + " and accepts no administrative change in that status; try again when it is PRIMARY or SECONDARY",
                    0);
        }
        ActionResult r;
        switch (action) {
            case MAKE_PRIMARY: r = makePrimary(server, apply, nowNs); break;
            case DEACTIVATE: r = deactivate(server, force, apply, nowNs); break;
            case ACTIVATE: r = activate(server, apply, nowNs); break;
            case STOP_TAKING_CALLS: r = stopTakingCalls(server, apply, nowNs); break;
            case TAKE_CALLS: r = takeCalls(server, apply, nowNs); break;
            default: throw new IllegalArgumentException("unknown action " + action);
        }
        if (apply) {
            if (r.ok()) {
                LOG.info("{} {}: {}", action.pathName(), server.configName(), r.reason());
            } else {
                LOG.info("{} {} refused: {}", action.pathName(), server.configName(), r.reason());
            }
            cluster.afterEvent(nowNs);
        }
        return r;
    }

    private ActionResult makePrimary(ServerName server, boolean apply, long nowNs) {
        ServerState t = cluster.state(server);
        ServerState o = cluster.state(server.other());
        if (t.status == PRIMARY) {
            return refuse(server, t.label() + " is PRIMARY already; "
                    + o.label() + " is " + o.status, 0);
        }
        if (t.status != SECONDARY) {
            return refuse(server, t.label() + " is " + t.status
                    + "; only a SECONDARY server can be made PRIMARY (ST-5)", 0);
        }
        if (o.status == REPLICATING_DATA || o.status == STARTING) {
            return refuse(server, o.label() + " is " + o.status
                    + "; make " + t.label() + " PRIMARY when that is over", 0);
        }
        if (t.degraded != null) {
            return refuse(server, t.label() + " runs degraded (" + t.degraded
                    + "); make it PRIMARY when it has recovered (ST-7)", 0);
        }
        int up = cluster.ports().callsInProgress(PUBLISHER) + cluster.ports().callsInProgress(SUBSCRIBER);
        ServerStatus otherTo = o.status == PRIMARY ? SECONDARY : o.status;
        String what = t.label() + " becomes PRIMARY" + (o.status == PRIMARY ? " and " + o.label() + " SECONDARY" : "")
                + "; the " + up + " call(s) in progress are not affected (ST-5)";
        if (!apply) {
            return ActionResult.done(server, t.status, what, 0, null);
        }
        cluster.transitionTo(server, PRIMARY, otherTo, "Make Primary by the administrator (ST-5)", nowNs);
        cluster.rolesChosenByAdministrator();
        return ActionResult.done(server, t.status, what, 0, null);
    }

    private ActionResult deactivate(ServerName server, boolean force, boolean apply, long nowNs) {
        ServerState t = cluster.state(server);
        ServerState o = cluster.state(server.other());
        if (t.status == PRIMARY) {
            return refuse(server, t.label()
                    + " is PRIMARY; a PRIMARY server cannot be deactivated (ST-3): make " + o.label()
                    + " PRIMARY first (it is " + o.status + ")", 0);
        }
        if (t.status != SECONDARY) {
            return refuse(server, t.label() + " is " + t.status
                    + "; only a SECONDARY server can be deactivated (ST-4)", 0);
        }
        int up = cluster.ports().callsInProgress(server);
        if (up > 0 && !force) {
            return refuse(server, "deactivating " + t.label() + " would drop " + up
                    + " call(s) in progress (ST-4): use Stop Taking Calls and wait for ServerDrained, or force", up);
        }
        String what = t.label() + " becomes DEACTIVATED; " + (up == 0 ? "no call in progress"
                : up + " call(s) in progress " + (apply ? "dropped" : "would be dropped")) + " (ST-4)";
        if (!apply) {
            return ActionResult.done(server, t.status, what, up, null);
        }
        int[] dropped = cluster.transitionTo(server, DEACTIVATED, o.status, "Deactivate by the administrator"
                + (up > 0 ? " with force, dropping " + up + " call(s)" : "") + " (ST-4)", nowNs);
        return ActionResult.done(server, t.status, what, dropped.length, dropped);
    }

    private ActionResult activate(ServerName server, boolean apply, long nowNs) {
        ServerState t = cluster.state(server);
        ServerState o = cluster.state(server.other());
        if (t.status != DEACTIVATED) {
            return refuse(server, t.label() + " is " + t.status
                    + "; only a DEACTIVATED server can be activated (ST-6)", 0);
        }
        ServerStatus otherRole = o.status == REPLICATING_DATA ? o.previous : o.status;
        ServerStatus to = otherRole == PRIMARY || otherRole == SPLIT_BRAIN_RECOVERY ? SECONDARY : PRIMARY;
        String what = t.label() + " becomes " + to + " because " + o.label() + " is " + o.status
                + "; it takes its share of calls at once (ST-6)";
        if (!apply) {
            return ActionResult.done(server, t.status, what, 0, null);
        }
        cluster.transitionTo(server, to, o.status, "Activate by the administrator (ST-6)", nowNs);
        if (server == PUBLISHER && to == SECONDARY) {
            cluster.publisherReturned();
        }
        return ActionResult.done(server, t.status, what, 0, null);
    }

    private ActionResult stopTakingCalls(ServerName server, boolean apply, long nowNs) {
        ServerState t = cluster.state(server);
        int up = cluster.ports().callsInProgress(server);
        if (!t.takingCalls) {
            return ActionResult.done(server, t.status, t.label() + " already takes no new calls; " + up
                    + " call(s) in progress", up, null);
        }
        String what = t.label() + " takes no new calls; " + (up == 0 ? "no call in progress: drained"
                : up + " call(s) in progress continue until the callers hang up") + "; status stays " + t.status
                + " (CA-4)";
        if (!apply) {
            return ActionResult.done(server, t.status, what, up, null);
        }
        t.takingCalls = false;
        t.drainPending = true;
        cluster.applyPortFlags(nowNs);
        cluster.checkDrained(t, nowNs);
        return ActionResult.done(server, t.status, what, up, null);
    }

    private ActionResult takeCalls(ServerName server, boolean apply, long nowNs) {
        ServerState t = cluster.state(server);
        String what = t.label() + " takes calls" + (t.takingCalls ? " already" : " again")
                + (t.status.answersCalls() ? "" : "; it answers none while it is " + t.status) + " (CA-4)";
        if (apply && !t.takingCalls) {
            t.takingCalls = true;
            t.drainPending = false;
            cluster.applyPortFlags(nowNs);
        }
        return ActionResult.done(server, t.status, what, 0, null);
    }

    private ActionResult refuse(ServerName server, String reason, int calls) {
        return ActionResult.refused(server, cluster.state(server).status, reason, calls);
    }
}
