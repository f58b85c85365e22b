package io.vmport.config;

/** Range checks shared by the configuration records, so that a rule and its message are written once. */
final class Checks {
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65_535;

    private Checks() {
    }

    static String rangeText(long min, long max) {
        return "an integer from " + min + " to " + max;
    }

    static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(field, value, rangeText(min, max));
        }
    }

    static void port(String field, int port) {
        range(field, port, MIN_PORT, MAX_PORT);
    }

    static <T> T present(String field, T value, String allowed) {
        if (value == null) {
            throw new ConfigException(field, null, allowed);
        }
        return value;
    }
}
