package io.vmport.engine.pipeline;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.vmport.config.ConfigException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the pipeline's stages wait for work: a setting, because the right choice depends on the cores the node
 * has. Two cores call for {@link #BLOCKING} (the default), never {@link #YIELDING} or {@link #BUSY_SPIN}.
 */
public enum WaitStrategyKind {
    /**
     * Every stage waits on a lock, for the producers or for the stages before it: no CPU when idle, no spinning
     * under load; costs a lock per publish and per stage batch, and a wake-up of only the stages that can now
     * proceed. (Unlike Disruptor's own blocking strategy, whose stages spin while they wait for the stage before
     * them.)
     */
    BLOCKING("blocking"),
    /**
     * Spins briefly, then yields, then parks for ~60 µs at a time, over and over: no lock on the publish path and
     * the lowest median latency, but every idle stage thread wakes ~16,000 times a second, which on two cores
     * costs a quarter of the machine with a thread per stage.
     */
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
            case BLOCKING -> new StageBlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
