package io.vmport.engine.cluster;

import io.vmport.config.ServerName;

import java.util.Objects;

/**
 * One alarm (SPEC AL-1).
 *
 * @param timeNs the time of the event that raised it, as the producer stamped it (the domain reads no clock)
 * @param server the server it is about
 * @param name   which alarm
 * @param detail what happened, with the state that explains it
 */
public record Alarm(long timeNs, ServerName server, AlarmName name, String detail) {
    public Alarm {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }
}
