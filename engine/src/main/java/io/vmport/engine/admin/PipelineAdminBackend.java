package io.vmport.engine.admin;

import io.vmport.config.ServerName;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.db.Database;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.pipeline.AdminRequest;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.pipeline.NanoClock;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.ports.PortPlan;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * An {@link AdminBackend} over a running {@link Pipeline}: queries read its published view and snapshot, actions
 * travel through its ring as {@link AdminRequest}s. Alarms and call records come from the functions given (the
 * database's repositories, see {@link #withDatabase}); pipeline-clock times become wall-clock times by the offset
 * between the two clocks taken at construction.
 */
public final class PipelineAdminBackend implements AdminBackend {
    private final Pipeline pipeline;
    private final PortPlan plan;
    private final NanoClock clock;
    private final CallCounters counters;
    private final IntFunction<List<AlarmRow>> alarms;
    private final IntFunction<List<CallRecordRow>> calls;
    private final Actions actions;
    private final MessageQueries messages;
    private final long epochMsAtZeroNs;

    /** Performs an administrative action; a node adds what it keeps beside the ring (e.g. the stored flag). */
    @FunctionalInterface
    public interface Actions {
        CompletableFuture<ActionResult> perform(AdminAction action, ServerName server, boolean force);
    }

    /**
     * @param pipeline the started (or about to start) pipeline
     * @param plan     its port plan
     * @param clock    the clock its producers stamp events with
     * @param counters the counting journal sink installed in it, or null (then call counts are zero)
     * @param alarms   the newest alarms, at most n
     * @param calls    the newest call records, at most n
     */
    public PipelineAdminBackend(Pipeline pipeline, PortPlan plan, NanoClock clock, CallCounters counters,
                                IntFunction<List<AlarmRow>> alarms, IntFunction<List<CallRecordRow>> calls) {
        this(pipeline, plan, clock, counters, alarms, calls, null);
    }

    /**
     * As above, with actions performed by {@code actions} instead of straight through the pipeline's producer.
     */
    public PipelineAdminBackend(Pipeline pipeline, PortPlan plan, NanoClock clock, CallCounters counters,
                                IntFunction<List<AlarmRow>> alarms, IntFunction<List<CallRecordRow>> calls,
                                Actions actions) {
        this(pipeline, plan, clock, counters, alarms, calls, actions, MessageQueries.NONE);
    }

    /** As above, with mailboxes and messages read by {@code messages} (MS-3). */
    public PipelineAdminBackend(Pipeline pipeline, PortPlan plan, NanoClock clock, CallCounters counters,
                                IntFunction<List<AlarmRow>> alarms, IntFunction<List<CallRecordRow>> calls,
                                Actions actions, MessageQueries messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.actions = actions != null ? actions
                : (action, server, force) -> pipeline.producer().adminAction(new AdminRequest(action, server, force));
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = counters;
        this.alarms = Objects.requireNonNull(alarms, "alarms");
        this.calls = Objects.requireNonNull(calls, "calls");
        if (plan.size() != pipeline.settings().portCount()) {
            throw new IllegalArgumentException("the port plan has " + plan.size() + " ports, the pipeline "
                    + pipeline.settings().portCount());
        }
        this.epochMsAtZeroNs = System.currentTimeMillis() - clock.nanoTime() / 1_000_000;
    }

    /** Alarms, call records, mailboxes and messages from the database's repositories. */
    public static PipelineAdminBackend withDatabase(Pipeline pipeline, PortPlan plan, NanoClock clock,
                                                    CallCounters counters, Database database) {
        Objects.requireNonNull(database, "database");
        return new PipelineAdminBackend(pipeline, plan, clock, counters, n -> database.alarms().newest(n),
                n -> database.callRecords().newest(n), null, MessageQueries.of(database));
    }

    @Override
    public MessageQueries messageQueries() {
        return messages;
    }

    @Override
    public ClusterView clusterView() {
        return pipeline.clusterView();
    }

    @Override
    public MonitorSnapshot monitorSnapshot() {
        return pipeline.monitorSnapshot();
    }

    @Override
    public PortPlan portPlan() {
        return plan;
    }

    @Override
    public List<AlarmRow> alarms(int limit) {
        return alarms.apply(limit);
    }

    @Override
    public List<CallRecordRow> calls(int limit) {
        return calls.apply(limit);
    }

    @Override
    public CompletableFuture<ActionResult> perform(AdminAction action, ServerName server, boolean force) {
        try {
            return actions.perform(action, server, force);
        } catch (RuntimeException stopped) {
            return CompletableFuture.failedFuture(stopped);
        }
    }

    @Override
    public CallCounts callCounts() {
        return counters == null ? CallCounts.NONE : counters.counts(pipeline.monitorSnapshot());
    }

    @Override
    public long pipelineBacklog() {
        return Math.max(0, pipeline.publishedSequence() - pipeline.completedSequence());
    }

    @Override
    public long epochMs(long pipelineNs) {
        return epochMsAtZeroNs + Math.floorDiv(pipelineNs, 1_000_000L);
    }

    @Override
    public long nowNs() {
        return clock.nanoTime();
    }
}
