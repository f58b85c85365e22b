package io.vmport.engine.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.vmport.config.ConfigException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the pipeline's stages wait for work: a setting, because the right choice depends on the cores the node
 * has. Two cores call for {@link #SLEEPING} (the default) or {@link #BLOCKING}, never {@link #BUSY_SPIN}.
 */
public enum WaitStrategyKind {
    /**
     * Waits on a lock for new events. Note that Disruptor 4 blocks only on the producers' cursor: a stage
     * waiting for the stage before it spins, which on two cores takes CPU from the stage it waits for.
     */
    BLOCKING("blocking"),
    /** Spins briefly, then yields, then parks ~100 µs: little CPU when idle, no lock on the publish path. */
    SLEEPING("sleeping"),
    /** Spins briefly, then yields: low latency, one core per busy stage. Needs more cores than stages. */
    YIELDING("yielding"),
    /** Spins: lowest latency, burns one core per stage. Only with dedicated, isolated cores. */
    BUSY_SPIN("busy-spin");

    private final String configName;

    WaitStrategyKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static WaitStrategyKind fromConfigName(String field, String name) {
        for (WaitStrategyKind k : values()) {
            if (k.configName.equals(name)) {
                return k;
            }
        }
        throw new ConfigException(field, name, "one of "
                + Arrays.stream(values()).map(WaitStrategyKind::configName).collect(Collectors.joining(", ")));
    }

    /** A new strategy instance; every ring needs its own. */
    WaitStrategy create() {
        return switch (this) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
