package io.vmport.engine.peer;

import io.vmport.engine.ports.PortState;

import java.util.Objects;

/**
 * One port's new live state, as a heartbeat carries it (ST-11).
 *
 * @param port           the port index in the port plan
 * @param state          its live state
 * @param callGeneration the port's call generation ({@code PortTable.callGeneration}), so that a stale delta for
 *                       an earlier call can be told from the current one
 */
public record PortDelta(int port, PortState state, int callGeneration) {

    public PortDelta {
        if (port < 0) {
            throw new IllegalArgumentException("port must be >= 0, not " + port);
        }
        Objects.requireNonNull(state, "state");
    }
}
