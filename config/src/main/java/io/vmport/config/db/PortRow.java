package io.vmport.config.db;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import java.util.Optional;

/**
 * One port of the port plan as stored (SPEC PT-1, PT-2); its live state is not stored.
 *
 * @param name              unique name, e.g. {@code publisher-1} or an SCCP device name
 * @param server            {@code publisher}, {@code subscriber}, or {@value #SHARED} (PIMG/TIMG: either server)
 * @param integration       the integration the port belongs to
 * @param enabled           disabled ports are {@code OUT_OF_SERVICE}
 * @param answerCalls       capability: answers calls
 * @param sendNotifications capability: sends message notifications
 * @param sendMwi           capability: sends MWI requests
 */
public record PortRow(String name, String server, Integration integration, boolean enabled, boolean answerCalls,
                      boolean sendNotifications, boolean sendMwi) {

    public static final String SHARED = "shared";
    static final int NAME_MAX_CHARS = 64;

    public PortRow {
        if (name == null || name.isBlank() || name.length() > NAME_MAX_CHARS) {
            throw new IllegalArgumentException("port name must be 1 to " + NAME_MAX_CHARS + " characters, was " + name);
        }
        if (!SHARED.equals(server) && !ServerName.PUBLISHER.configName().equals(server)
                && !ServerName.SUBSCRIBER.configName().equals(server)) {
            throw new IllegalArgumentException("port " + name + ": server must be publisher, subscriber or shared, was "
                    + server);
        }
        if (integration == null) {
            throw new IllegalArgumentException("port " + name + ": integration must not be null");
        }
    }

    /** A port owned by one server. */
    public static PortRow owned(String name, ServerName owner, Integration integration, boolean enabled,
                                boolean answerCalls, boolean sendNotifications, boolean sendMwi) {
        return new PortRow(name, owner.configName(), integration, enabled, answerCalls, sendNotifications, sendMwi);
    }

    /** The owning server, or empty for a shared port. */
    public Optional<ServerName> owner() {
        return isShared() ? Optional.empty() : Optional.of(Columns.server(server, "port.server"));
    }

    public boolean isShared() {
        return SHARED.equals(server);
    }

    public PortRow withEnabled(boolean newEnabled) {
        return new PortRow(name, server, integration, newEnabled, answerCalls, sendNotifications, sendMwi);
    }
}
