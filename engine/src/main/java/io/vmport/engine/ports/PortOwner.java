package io.vmport.engine.ports;

import io.vmport.config.ServerName;

/** Which server a port belongs to (SPEC PT-1, PT-2): one of the two, or {@code SHARED} for PIMG/TIMG ports. */
public enum PortOwner {
    PUBLISHER("publisher"),
    SUBSCRIBER("subscriber"),
    /** A PIMG/TIMG gateway port that either server may answer, never both at once. */
    SHARED("shared");

    private final String configName;

    PortOwner(String configName) {
        this.configName = configName;
    }

    /** The name shown by the port monitor and stored in the database: {@code publisher}, {@code subscriber}, {@code shared}. */
    public String configName() {
        return configName;
    }

    /** The owning server, or {@code null} for a shared port. */
    public ServerName server() {
        switch (this) {
            case PUBLISHER: return ServerName.PUBLISHER;
            case SUBSCRIBER: return ServerName.SUBSCRIBER;
            default: return null;
        }
    }

    public static PortOwner of(ServerName server) {
        return server == ServerName.PUBLISHER ? PUBLISHER : SUBSCRIBER;
    }
}
