package io.vmport.config;

/** The two servers of a cluster (SPEC CL-1): the publisher is the first configured, the subscriber the other. */
public enum ServerName {
    PUBLISHER("publisher"),
    SUBSCRIBER("subscriber");

    private final String configName;

    ServerName(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration, URLs, JSON and the database, e.g. {@code publisher}. */
    public String configName() {
        return configName;
    }

    /** The other server of the pair. */
    public ServerName other() {
        return this == PUBLISHER ? SUBSCRIBER : PUBLISHER;
    }

    public static ServerName fromConfigName(String field, String name) {
        for (ServerName s : values()) {
            if (s.configName.equals(name)) {
                return s;
            }
        }
        throw new ConfigException(field, name, "publisher or subscriber");
    }
}
