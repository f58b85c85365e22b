package io.vmport.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import io.vmport.engine.pipeline.StageBlockingWaitStrategy.StageThread;
import io.vmport.engine.pipeline.StageBlockingWaitStrategy.WaitPoint;
import io.vmport.engine.routing.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The node's single Disruptor ring and its stages (DESIGN section 2):
 *
 * <pre>
 * producers --&gt; router --+--&gt; reply   --+
 *                         +--&gt; journal --+--&gt; release (clears the slot)
 *                         +--&gt; monitor --+
 * </pre>
 *
 * <p>The peer learns of this node's calls off the ring: the peer link reads the latest {@link MonitorSnapshot}
 * every heartbeat and sends what changed ({@link OwnCallDeltas}), so no stage talks to the link.
 *
 * <p>The router stage is the only writer of cluster and port state; the three stages after it each keep their
 * own state and read only what the router wrote, so they run in parallel, each on its own thread
 * ({@link StageThreads#PER_STAGE}), or, on a machine with fewer cores than stages, one after the other on one
 * thread ({@link StageThreads#SHARED}). Producers publish through {@link #producer()}; port-monitor queries read
 * {@link #monitorSnapshot()} and never wait for the ring. A failure in any stage is logged with its event and the
 * stage goes on ({@link #handlerFailures()} counts them).
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #stop()} (drains what was published, then halts). Settings
 * are validated when they are built, so a bad ring size fails before anything starts.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final long JOIN_TIMEOUT_MS = 2_000;

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    /** One stage: its name, its processor, and where its thread waits (blocking wait only). */
    private record Stage(String name, BatchEventProcessor<PipelineEvent> processor, WaitPoint waitsAt) {
    }

    private final PipelineSettings settings;
    private final WaitStrategy waitStrategy;
    private final RingBuffer<PipelineEvent> ring;
    private final List<Stage> stages = new ArrayList<>();
    private final BatchEventProcessor<PipelineEvent> release;
    private final MonitorStage monitor;
    private final PipelineProducer producer;
    private final LongAdder failures = new LongAdder();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** The stage threads, read by {@link #onStageThread()} from any thread. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService ticker;
    /** Written by the router stage after every control event; read by queries (PM-2), never waiting. */
    private volatile ClusterView clusterView;

    /**
     * A pipeline around {@code router}, which from now on belongs to the router stage's thread: nothing else
     * may call it.
     *
     * @param settings the pipeline's settings; {@link PipelineSettings#portCount()} must cover every port index
     *                 the router gives
     * @param router   the domain's router
     * @param journal  where call records go
     * @param clock    the clock producers stamp events with
     */
    public Pipeline(PipelineSettings settings, Router router, JournalSink journal, NanoClock clock) {
        this(settings, router, journal, EffectSink.NONE, clock);
    }

    /**
     * A pipeline for a node: as above, and the cluster's requests for off-thread work go to {@code effects}.
     */
    public Pipeline(PipelineSettings settings, Router router, JournalSink journal, EffectSink effects,
                    NanoClock clock) {
        this(settings, clock, Objects.requireNonNull(router, "router"), Objects.requireNonNull(journal, "journal"),
                Objects.requireNonNull(effects, "effects"));
    }

    /**
     * The same ring, threads, barriers, producer path and exception handling with stages that do nothing: the
     * baseline that benchmarks compare the real pipeline with. Not for production.
     */
    public static Pipeline baseline(PipelineSettings settings, NanoClock clock) {
        return new Pipeline(settings, clock, null, null, null);
    }

    private Pipeline(PipelineSettings settings, NanoClock clock, Router router, JournalSink journal,
                     EffectSink effects) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        int ports = settings.portCount();
        waitStrategy = settings.waitStrategy().create();
        ring = RingBuffer.createMultiProducer(PipelineEvent::new, settings.ringSize(), waitStrategy);
        monitor = new MonitorStage(ports, settings.monitorMinIntervalNs(), clock.nanoTime(),
                router == null ? null : router.ports().stateOrdinals());
        boolean real = router != null;
        EventHandler<PipelineEvent> nothing = (event, sequence, endOfBatch) -> { };

        StageBlockingWaitStrategy blocking =
                waitStrategy instanceof StageBlockingWaitStrategy b ? b : null;
        WaitPoint afterRouterPoint = blocking == null ? null : blocking.newWaitPoint("after-router");
        BatchEventProcessor<PipelineEvent> routerStage = stage("router", ring.newBarrier(),
                real ? new RouterStage(router, ports, effects, view -> clusterView = view) : nothing, blocking == null ? null : blocking.producers(),
                afterRouterPoint);
        SequenceBarrier afterRouter = ring.newBarrier(routerStage.getSequence());
        String[] names = {"reply", "journal", "monitor", "release"};
        List<EventHandler<PipelineEvent>> after = real
                ? List.of(new ReplyStage(ports), new JournalStage(journal, ports, settings.journalBatchSize()), monitor,
                        new ReleaseStage())
                : List.of(nothing, nothing, nothing, nothing);
        int parallelCount = names.length - 1;
        if (settings.stageThreads() == StageThreads.PER_STAGE) {
            WaitPoint releasePoint = blocking == null ? null : blocking.newWaitPoint("release");
            Sequence[] parallel = new Sequence[parallelCount];
            for (int i = 0; i < parallelCount; i++) {
                parallel[i] = stage(names[i], afterRouter, after.get(i), afterRouterPoint, releasePoint).getSequence();
            }
            release = stage(names[parallelCount], ring.newBarrier(parallel), after.get(parallelCount), releasePoint,
                    null);
        } else {
            List<ExceptionHandler<PipelineEvent>> handlers = new ArrayList<>();
            for (String name : names) {
                handlers.add(new LoggingExceptionHandler(name, failures));
            }
            release = stage(String.join("+", names), afterRouter, new SequentialStages(after, handlers),
                    afterRouterPoint, null);
        }
        ring.addGatingSequences(release.getSequence());
        producer = new PipelineProducer(ring, clock, this, ports);
        clusterView = real ? ClusterView.of(router.cluster(), -1, clock.nanoTime()) : null;
    }

    /**
     * Builds a stage's processor.
     *
     * @param waitsAt where its thread waits for the stage before it (blocking wait only, else null)
     * @param wakes   where the stages after it wait, to wake at the end of its batches (blocking wait only)
     */
    private BatchEventProcessor<PipelineEvent> stage(String name, SequenceBarrier barrier,
                                                     EventHandler<PipelineEvent> handler, WaitPoint waitsAt,
                                                     WaitPoint wakes) {
        EventHandler<PipelineEvent> stage = wakes == null ? handler
                : new SignallingStage(handler, new LoggingExceptionHandler(name, failures), wakes);
        BatchEventProcessor<PipelineEvent> processor = new BatchEventProcessorBuilder().build(ring, barrier, stage);
        processor.setExceptionHandler(new LoggingExceptionHandler(name, failures));
        stages.add(new Stage(name, processor, waitsAt));
        return processor;
    }

    /** Starts one thread per stage, and the tick timer when {@link PipelineSettings#tickIntervalNs()} is set. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("pipeline cannot start: it is " + state.get());
        }
        for (Stage stage : stages) {
            String name = stage.name().contains("+") ? "stages" : stage.name();
            Thread thread = new StageThread(stage.processor(), settings.threadNamePrefix() + "-" + name,
                    stage.waitsAt());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long tickNs = settings.tickIntervalNs();
        if (tickNs > 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, settings.threadNamePrefix() + "-ticker");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleAtFixedRate(this::tick, tickNs, tickNs, TimeUnit.NANOSECONDS);
        }
        LOG.info("pipeline started: {} ports, ring of {} slots, {} wait, {} stage threads, monitor snapshot every"
                        + " {} ms at most", settings.portCount(), settings.ringSize(),
                settings.waitStrategy().configName(), settings.stageThreads().configName(),
                settings.monitorMinIntervalNs() / 1_000_000);
    }

    private void tick() {
        try {
            producer.tick();
        } catch (RuntimeException stopping) {
            LOG.debug("tick not published: {}", stopping.getMessage());
        }
    }

    /**
     * Stops accepting events, waits until every stage has handled what was published (at most
     * {@link PipelineSettings#drainTimeoutNs()}), then halts the stages and waits for their threads. Idempotent.
     */
    public void stop() {
        if (state.compareAndSet(State.NEW, State.STOPPED)) {
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            return;
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        long deadlineNs = System.nanoTime() + settings.drainTimeoutNs();
        while (release.getSequence().get() < ring.getCursor()) {
            if (System.nanoTime() - deadlineNs > 0) {
                LOG.warn("pipeline did not drain within {} ms; halting anyway: {}",
                        settings.drainTimeoutNs() / 1_000_000, describe());
                break;
            }
            LockSupport.parkNanos(1_000_000);
        }
        for (Stage stage : stages) {
            stage.processor().halt();
        }
        if (waitStrategy instanceof StageBlockingWaitStrategy blocking) {
            blocking.wakeAll();
        }
        for (Thread thread : threads) {
            try {
                thread.join(JOIN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) {
                LOG.warn("pipeline thread {} did not stop within {} ms", thread.getName(), JOIN_TIMEOUT_MS);
            }
        }
        state.set(State.STOPPED);
        LOG.info("pipeline stopped: {}", describe());
    }

    @Override
    public void close() {
        stop();
    }

    /** Where producers publish. */
    public PipelineProducer producer() {
        return producer;
    }

    /** The latest cluster view (SPEC PM-2), never waiting for the ring; null for the baseline pipeline. */
    public ClusterView clusterView() {
        return clusterView;
    }

    /** The latest port-monitor snapshot (SPEC PM-1): never null, never waits for the ring. */
    public MonitorSnapshot monitorSnapshot() {
        return monitor.latest();
    }

    /** Failures logged by the stages since the start; each was an event the pipeline went past. */
    public long handlerFailures() {
        return failures.sum();
    }

    /**
     * Whether the calling thread is one of this pipeline's stage threads (known by identity), which must never wait
     * for ring capacity: work they cause that publishes goes through another thread.
     */
    public boolean onStageThread() {
        return threads.contains(Thread.currentThread());
    }

    public PipelineSettings settings() {
        return settings;
    }

    /** The highest sequence claimed by a producer; -1 before any. */
    public long publishedSequence() {
        return ring.getCursor();
    }

    /** The highest sequence every stage has finished with; -1 before any. */
    public long completedSequence() {
        return release.getSequence().get();
    }

    boolean accepting() {
        State s = state.get();
        return s == State.RUNNING || s == State.NEW;
    }

    /** The state that explains a stuck pipeline: the cursor, every stage's sequence, failures. */
    public String describe() {
        StringBuilder b = new StringBuilder("state=").append(state.get()).append(", cursor=").append(ring.getCursor());
        for (Stage stage : stages) {
            b.append(", ").append(stage.name()).append('=').append(stage.processor().getSequence().get());
        }
        return b.append(", remainingCapacity=").append(ring.remainingCapacity()).append(", failures=")
                .append(failures.sum()).toString();
    }

    @Override
    public String toString() {
        return "Pipeline{" + describe() + '}';
    }
}
