package io.vmport.engine.cluster;

/**
 * Where the domain raises alarms (SPEC AL-1). Called on the router thread: an implementation hands the alarm on
 * (journal, monitor, log) and returns at once.
 */
@FunctionalInterface
public interface AlarmSink {

    /** Drops every alarm (the domain logs them anyway). */
    AlarmSink NONE = alarm -> { };

    void raise(Alarm alarm);
}
