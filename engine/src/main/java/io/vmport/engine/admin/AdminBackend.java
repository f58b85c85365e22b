package io.vmport.engine.admin;

import io.vmport.config.ServerName;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.CallRecordRow;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.ports.PortPlan;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the admin HTTP API needs from a running node (SPEC PM-1..PM-4). The node implements it; so does
 * {@link PipelineAdminBackend}, over a bare pipeline.
 *
 * <p>Every query method must return at once from published state: it runs on the HTTP event loop and never enters
 * or waits for the pipeline (PM-1). Only {@link #perform} goes through the pipeline, and it answers with a future.
 */
public interface AdminBackend {

    /** The latest cluster view (PM-2); never null once the node has started. */
    ClusterView clusterView();

    /** The latest port-monitor snapshot (PM-1); never null. */
    MonitorSnapshot monitorSnapshot();

    /** The cluster's ports: name, owner (server or shared) and integration per port index. */
    PortPlan portPlan();

    /** The newest alarms, newest first, at most {@code limit} (AL-1). May read the database; not on the ring. */
    List<AlarmRow> alarms(int limit);

    /** The newest call records, newest first, at most {@code limit} (CA-6). */
    List<CallRecordRow> calls(int limit);

    /** Performs an administrative action through the pipeline; completes with done or refused and the reason. */
    CompletableFuture<ActionResult> perform(AdminAction action, ServerName server, boolean force);

    /**
     * What {@code action} would do to calls in progress now (PM-3), from the published view: computed without the
     * pipeline, so it is advice; {@link #perform} decides.
     */
    default ActionPreview preview(AdminAction action, ServerName server, boolean force) {
        return ActionPreview.of(action, server, force, clusterView(), monitorSnapshot());
    }

    /** Call totals since the start, for {@code /metrics}. */
    CallCounts callCounts();

    /** Events published into the pipeline but not yet through every stage (the backlog, for {@code /metrics}). */
    long pipelineBacklog();

    /** Wall-clock epoch milliseconds of a pipeline-clock time ({@code nowNs}-style stamps: "since", heartbeats). */
    long epochMs(long pipelineNs);

    /** The pipeline clock now, in the same nanoseconds as {@link #epochMs}'s argument. */
    long nowNs();

    /** Mailboxes and messages (MS-3); may read the database, so called off the event loop. None by default. */
    default MessageQueries messageQueries() {
        return MessageQueries.NONE;
    }
}
