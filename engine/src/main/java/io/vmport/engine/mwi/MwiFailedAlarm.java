package io.vmport.engine.mwi;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.Alarm;
import io.vmport.engine.cluster.AlarmName;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.sip.MwiListener;
import io.vmport.sip.MwiState;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Raises {@code MwiFailed} with the extension through the node's alarm path when a NOTIFY is given up (MW-2). */
public final class MwiFailedAlarm implements MwiListener {

    private final ServerName self;
    private final AlarmSink alarms;
    private final LongSupplier clockNs;
    private final String target;

    /**
     * @param clockNs stamps the alarms
     * @param target  where the NOTIFYs go, for the alarm's text
     */
    public MwiFailedAlarm(ServerName self, AlarmSink alarms, LongSupplier clockNs, String target) {
        this.self = Objects.requireNonNull(self, "self");
        this.alarms = Objects.requireNonNull(alarms, "alarms");
        this.clockNs = Objects.requireNonNull(clockNs, "clockNs");
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    public void onMwiFailed(MwiState state, int attempts, String lastOutcome) {
        alarms.raise(new Alarm(clockNs.getAsLong(), self, AlarmName.MwiFailed, "extension " + state.extension()
                + ": MWI (" + (state.waiting() ? "on" : "off") + ", new " + state.newMessages() + ", old "
                + state.oldMessages() + ") not delivered to " + target + " after " + attempts + " attempts; the last got "
                + lastOutcome));
    }
}
