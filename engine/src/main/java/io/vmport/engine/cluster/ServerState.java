package io.vmport.engine.cluster;

import io.vmport.config.ServerName;

/** What the cluster view knows of one server. Mutable; only {@link Cluster} and its collaborators write it. */
final class ServerState {

    final ServerName name;
    ServerStatus status = ServerStatus.STARTING;
    /** The status a REPLICATING_DATA or SPLIT_BRAIN_RECOVERY server returns to. */
    ServerStatus previous = ServerStatus.STARTING;
    /** The epoch the current status was set under (ST-13). */
    long epoch;
    boolean takingCalls = true;
    /** Stop Taking Calls is in force and ServerDrained has not been raised yet (CA-4). */
    boolean drainPending;
    /** Why the server runs degraded (ST-7), or null when healthy. */
    CriticalFailure degraded;

    ServerState(ServerName name) {
        this.name = name;
    }

    void enter(ServerStatus to, long epoch) {
        if ((to == ServerStatus.REPLICATING_DATA || to == ServerStatus.SPLIT_BRAIN_RECOVERY) && !status.isTransient()) {
            previous = status;
        }
        status = to;
        this.epoch = epoch;
    }

    boolean acceptsCalls() {
        return takingCalls && status.answersCalls();
    }

    String label() {
        return name.configName();
    }
}
