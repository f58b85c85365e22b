package io.vmport.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.CriticalFailure;

import java.util.Objects;

/**
 * What the node learnt off the ring (from the database, its journal) that the cluster must take in, published as
 * one {@link EventType#NODE_REPORT} event so that the router stage stays the only writer of cluster state.
 */
public sealed interface NodeReport {

    /** Applies the report to the cluster, on the router thread. */
    ActionResult applyTo(Cluster cluster, long nowNs);

    /**
     * ST-13: the database names {@code holder} PRIMARY at {@code epoch}: this node adopts the epoch, and stops
     * primary-only work at once when the holder is the other server.
     */
    record DatabaseRole(ServerName holder, long epoch) implements NodeReport {
        public DatabaseRole {
            Objects.requireNonNull(holder, "holder");
        }

        @Override
        public ActionResult applyTo(Cluster cluster, long nowNs) {
            return cluster.onDatabaseRole(holder, epoch, nowNs);
        }
    }

    /** ST-8, ST-13: the peer is silent, but it renews the PRIMARY role in the database: it is alive. */
    record PeerHoldsRole(long leaseAgeMs) implements NodeReport {
        @Override
        public ActionResult applyTo(Cluster cluster, long nowNs) {
            return cluster.onPeerHoldsRoleInDatabase(leaseAgeMs, nowNs);
        }
    }

    /** ST-7: this server detected an unrecoverable failure of its own. */
    record CriticalFailed(ServerName server, CriticalFailure kind) implements NodeReport {
        public CriticalFailed {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public ActionResult applyTo(Cluster cluster, long nowNs) {
            return cluster.onCriticalFailure(server, kind, nowNs);
        }
    }

    /** ST-7: the failure is over. */
    record Recovered(ServerName server) implements NodeReport {
        public Recovered {
            Objects.requireNonNull(server, "server");
        }

        @Override
        public ActionResult applyTo(Cluster cluster, long nowNs) {
            return cluster.onRecovered(server, nowNs);
        }
    }

    /**
     * This server's own database node as its replication cluster sees it (SPEC section 2, ST-10): not synced means
     * REPLICATING_DATA; the receive queue is the replication backlog.
     */
    record DatabaseNode(boolean synced, String state, long receiveQueue) implements NodeReport {
        public DatabaseNode {
            Objects.requireNonNull(state, "state");
            if (receiveQueue < 0) {
                throw new IllegalArgumentException("receiveQueue must be >= 0, was " + receiveQueue);
            }
        }

        @Override
        public ActionResult applyTo(Cluster cluster, long nowNs) {
            return cluster.onDatabaseNode(synced, state, receiveQueue, nowNs);
        }
    }

    /** ST-12: the split-brain merge finished ({@code ok}) or failed ({@code detail} says why: SbrFailed). */
    record MergeResult(boolean ok, String detail) implements NodeReport {
        public MergeResult {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public ActionResult applyTo(Cluster cluster, long nowNs) {
            return ok ? cluster.onMergeCompleted(nowNs) : cluster.onMergeFailed(detail, nowNs);
        }
    }
}
