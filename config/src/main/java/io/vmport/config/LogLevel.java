package io.vmport.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The node's log level (SPEC CL-2: per-node bootstrap), from the most to the least verbose. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** Parses a level name in any case, e.g. {@code info}; refuses anything else with the names allowed. */
    public static LogLevel fromConfigName(String field, String name) {
        for (LogLevel level : values()) {
            if (name != null && level.name().equals(name.toUpperCase(Locale.ROOT))) {
                return level;
            }
        }
        throw new ConfigException(field, name, allowedNames());
    }

    static String allowedNames() {
        return "one of " + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
