package io.vmport.engine.pipeline;

import io.vmport.config.ConfigException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the stages after the router are given threads: a setting, because the right choice depends on the cores
 * the node has. Either way each stage keeps its own state, sees every event, and fails alone (its failure is
 * logged with the event and the other stages still handle it).
 */
public enum StageThreads {
    /**
     * Reply, journal and monitor each on its own thread, in parallel, then release: 5 threads. A slow journal
     * sink holds up only its own stage, not the replies, until the ring is full.
     */
    PER_STAGE("per-stage"),
    /**
     * Reply, journal, monitor and release one after the other on a single thread: 2 threads in all, for
     * machines with fewer cores than stages, where parallel stages only take turns on the same cores. Fewer
     * wake-ups and a lower latency, but a sink that blocks delays every reply after it.
     */
    SHARED("shared");

    private final String configName;

    StageThreads(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static StageThreads fromConfigName(String field, String name) {
        for (StageThreads t : values()) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        throw new ConfigException(field, name, "one of "
                + Arrays.stream(values()).map(StageThreads::configName).collect(Collectors.joining(", ")));
    }
}
