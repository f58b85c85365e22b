package io.vmport.engine.pipeline;

import io.vmport.config.ConfigException;

/**
 * The pipeline's settings, validated on construction: a bad value is refused with a {@link ConfigException}
 * that names the field, the value and what is allowed (SPEC BI-3). Immutable; change one with a {@code with}
 * method.
 *
 * @param portCount            how many port indexes the port plan uses (both servers together): the size of the
 *                             stages' per-port arrays
 * @param ringSize             slots in the ring: a power of two. Bounds the events in flight, and so memory, under
 *                             a flood (SPEC BI-1): {@link PipelineProducer#tryOffer} fails when it is full
 * @param waitStrategy         how stages wait for work
 * @param stageThreads         whether the stages after the router run on a thread each or share one
 * @param monitorMinIntervalNs the least time between two port-monitor snapshots; 0 publishes after every batch
 *                             that changed a port
 * @param tickIntervalNs       how often the pipeline's own timer publishes a {@link EventType#TICK}; 0 for none.
 *                             Ticks let stages act without traffic: the monitor publishes pending changes
 * @param journalBatchSize     call records the journal collects before handing them to its sink
 * @param drainTimeoutNs       how long {@link Pipeline#stop()} waits for the ring to drain
 * @param threadNamePrefix     prefix of the stage threads' names, e.g. {@code vmport-publisher}
 */
public record PipelineSettings(int portCount, int ringSize, WaitStrategyKind waitStrategy,
                               StageThreads stageThreads, long monitorMinIntervalNs, long tickIntervalNs,
                               int journalBatchSize,
                               long drainTimeoutNs, String threadNamePrefix) {

    public static final int MAX_PORT_COUNT = 1 << 24;
    public static final int MAX_RING_SIZE = 1 << 30;
    public static final int MAX_JOURNAL_BATCH_SIZE = 1 << 20;

    public PipelineSettings {
        if (portCount < 1 || portCount > MAX_PORT_COUNT) {
            throw new ConfigException("pipeline.portCount", portCount, "an integer from 1 to " + MAX_PORT_COUNT);
        }
        if (ringSize < 2 || ringSize > MAX_RING_SIZE || Integer.bitCount(ringSize) != 1) {
            throw new ConfigException("pipeline.ringSize", ringSize,
                    "a power of two from 2 to " + MAX_RING_SIZE + " (e.g. 1024, 16384, 65536)");
        }
        if (waitStrategy == null) {
            throw new ConfigException("pipeline.waitStrategy", null,
                    "one of blocking, sleeping, yielding, busy-spin");
        }
        if (stageThreads == null) {
            throw new ConfigException("pipeline.stageThreads", null, "one of per-stage, shared");
        }
        if (monitorMinIntervalNs < 0) {
            throw new ConfigException("pipeline.monitorMinIntervalNs", monitorMinIntervalNs,
                    "0 or more nanoseconds");
        }
        if (tickIntervalNs < 0) {
            throw new ConfigException("pipeline.tickIntervalNs", tickIntervalNs, "0 (no timer) or more nanoseconds");
        }
        if (journalBatchSize < 1 || journalBatchSize > MAX_JOURNAL_BATCH_SIZE) {
            throw new ConfigException("pipeline.journalBatchSize", journalBatchSize,
                    "an integer from 1 to " + MAX_JOURNAL_BATCH_SIZE);
        }
        if (drainTimeoutNs <= 0) {
            throw new ConfigException("pipeline.drainTimeoutNs", drainTimeoutNs, "more than 0 nanoseconds");
        }
        if (threadNamePrefix == null || threadNamePrefix.isBlank()) {
            throw new ConfigException("pipeline.threadNamePrefix", threadNamePrefix, "a non-blank name");
        }
    }

    /**
     * The defaults for {@code portCount} ports: 16,384 slots, blocking wait (no CPU while idle, on two cores), the
     * stages after the router sharing one thread, a monitor snapshot at most every 50 ms, a tick every 50 ms,
     * journal batches of up to 1,024 records, 5 s to drain.
     *
     * <p>Shared stage thread: on the two-core servers this product runs on, a thread per stage cost 72% of a core
     * at 10,000 events/s (each event wakes four threads) against 15% shared, and the shared pipeline's latency
     * was lower too (p50 11.5 us against 28 us; BENCHMARKS.md). Sharing is safe because no stage blocks: the
     * journal sink only queues for the database writer's own thread.
     */
    public static PipelineSettings defaults(int portCount) {
        return new PipelineSettings(portCount, 16_384, WaitStrategyKind.BLOCKING, StageThreads.SHARED,
                50_000_000L, 50_000_000L, 1_024, 5_000_000_000L, "vmport-pipeline");
    }

    public PipelineSettings withRingSize(int value) {
        return new PipelineSettings(portCount, value, waitStrategy, stageThreads, monitorMinIntervalNs,
                tickIntervalNs, journalBatchSize, drainTimeoutNs, threadNamePrefix);
    }

    public PipelineSettings withWaitStrategy(WaitStrategyKind value) {
        return new PipelineSettings(portCount, ringSize, value, stageThreads, monitorMinIntervalNs, tickIntervalNs,
                journalBatchSize, drainTimeoutNs, threadNamePrefix);
    }

    public PipelineSettings withStageThreads(StageThreads value) {
        return new PipelineSettings(portCount, ringSize, waitStrategy, value, monitorMinIntervalNs, tickIntervalNs,
                journalBatchSize, drainTimeoutNs, threadNamePrefix);
    }

    public PipelineSettings withMonitorMinIntervalNs(long value) {
        return new PipelineSettings(portCount, ringSize, waitStrategy, stageThreads, value, tickIntervalNs,
                journalBatchSize, drainTimeoutNs, threadNamePrefix);
    }

    public PipelineSettings withTickIntervalNs(long value) {
        return new PipelineSettings(portCount, ringSize, waitStrategy, stageThreads, monitorMinIntervalNs, value,
                journalBatchSize, drainTimeoutNs, threadNamePrefix);
    }

    public PipelineSettings withJournalBatchSize(int value) {
        return new PipelineSettings(portCount, ringSize, waitStrategy, stageThreads, monitorMinIntervalNs,
                tickIntervalNs, value, drainTimeoutNs, threadNamePrefix);
    }

    public PipelineSettings withDrainTimeoutNs(long value) {
        return new PipelineSettings(portCount, ringSize, waitStrategy, stageThreads, monitorMinIntervalNs,
                tickIntervalNs, journalBatchSize, value, threadNamePrefix);
    }

    public PipelineSettings withThreadNamePrefix(String value) {
        return new PipelineSettings(portCount, ringSize, waitStrategy, stageThreads, monitorMinIntervalNs,
                tickIntervalNs, journalBatchSize, drainTimeoutNs, value);
    }
}
