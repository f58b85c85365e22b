package io.vmport.engine.node;

import io.vmport.config.db.AlarmRow;
import io.vmport.engine.cluster.Alarm;
import io.vmport.engine.cluster.AlarmSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Alarms (SPEC AL-1): logged at WARN and stored through the node's {@link DatabaseWriter}; never blocks. */
final class StoredAlarms implements AlarmSink {
    private static final Logger LOG = LoggerFactory.getLogger("io.vmport.alarm");

    private final WallClock clock;
    private final DatabaseWriter writer;

    StoredAlarms(WallClock clock, DatabaseWriter writer) {
        this.clock = clock;
        this.writer = writer;
    }

    @Override
    public void raise(Alarm alarm) {
        LOG.warn("ALARM {} on {}: {}", alarm.name(), alarm.server().configName(), alarm.detail());
        writer.submit(AlarmRow.raise(alarm.server(), alarm.name().name(), alarm.detail(),
                clock.toEpochMs(alarm.timeNs())));
    }
}
