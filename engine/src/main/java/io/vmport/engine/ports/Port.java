package io.vmport.engine.ports;

import io.vmport.config.ConfigException;
import io.vmport.config.Integration;

import java.util.Objects;

/**
 * The configured part of one voice-messaging port (SPEC PT-1, PT-2). Its live state is in {@link PortTable}.
 *
 * @param index              global port index, 0..P-1, the same on both servers
 * @param name               unique name, e.g. {@code pub-sccp-001}, {@code sub-sip-004}, {@code pimg-007}
 * @param owner              the server that owns it, or {@link PortOwner#SHARED}
 * @param integration        how the phone system reaches it
 * @param number             1-based number within its owner; for PIMG/TIMG the gateway port number
 * @param enabled            whether the administrator has the port in service
 * @param answersCalls       capability: answers incoming calls
 * @param sendsNotifications capability: places message-notification calls
 * @param sendsMwi           capability: sends message-waiting-indicator requests
 */
public record Port(int index, String name, PortOwner owner, Integration integration, int number, boolean enabled,
                   boolean answersCalls, boolean sendsNotifications, boolean sendsMwi) {

    public Port {
        if (index < 0) {
            throw new IllegalArgumentException("port index must be >= 0, was " + index);
        }
        if (name == null || name.isBlank()) {
            throw new ConfigException("ports[" + index + "].name", name, "a non-blank name");
        }
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(integration, "integration");
        if (number < 1) {
            throw new ConfigException("ports[" + index + "].number", number, "an integer >= 1");
        }
    }

    /** A port with the given in-service flag and the same everything else. */
    public Port withEnabled(boolean enabled) {
        return new Port(index, name, owner, integration, number, enabled, answersCalls, sendsNotifications, sendsMwi);
    }

    /** A port with the given capabilities and the same everything else. */
    public Port withCapabilities(boolean answersCalls, boolean sendsNotifications, boolean sendsMwi) {
        return new Port(index, name, owner, integration, number, enabled, answersCalls, sendsNotifications, sendsMwi);
    }
}
