package io.vmport.engine.cluster;

/**
 * Work the cluster asks its node to do off the router thread (it does no I/O itself). Pending effects are
 * collected with {@link Cluster#pollEffect()}; the node reports the outcome back as an event where there is one.
 */
public enum Effect {
    /** ST-8: the peer is silent; check this node's own network, then call {@link Cluster#onNetworkCheckResult}. */
    NETWORK_CHECK,
    /** ST-13: write the server statuses with {@link Cluster#epoch()} to the database and reconcile the PRIMARY role
     *  with it; report the role the database names with {@link Cluster#onDatabaseRole}. */
    PUBLISH_STATUS,
    /** This node became PRIMARY: start the primary-only services (notifications, MWI, publishing). */
    START_PRIMARY_SERVICES,
    /** This node is no longer PRIMARY (or is fenced by a newer epoch): stop the primary-only services. */
    STOP_PRIMARY_SERVICES,
    /** ST-12: merge both sides' data and reconcile MWI, then call {@link Cluster#onMergeCompleted} or
     *  {@link Cluster#onMergeFailed}. */
    MERGE_DATA;

    final int bit() {
        return 1 << ordinal();
    }
}
