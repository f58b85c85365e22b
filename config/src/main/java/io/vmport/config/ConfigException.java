package io.vmport.config;

/**
 * A configuration value that vmport refuses (SPEC BI-3). The message always names the field, the value that
 * was given and what is allowed, so that an administrator can fix the file without reading code.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String allowed;

    /**
     * @param field   dotted path of the field, e.g. {@code cluster.settings.heartbeatIntervalMs}
     * @param value   the value given, or {@code null} when the field is missing
     * @param allowed what the field accepts, e.g. {@code "an integer from 10 to 60000"}
     */
    public ConfigException(String field, Object value, String allowed) {
        super(message(field, value, allowed));
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
        this.allowed = allowed;
    }

    public String field() {
        return field;
    }

    /** The value given, or {@code null} when the field was missing. */
    public String value() {
        return value;
    }

    public String allowed() {
        return allowed;
    }

    private static String message(String field, Object value, String allowed) {
        if (value == null) {
            return "configuration field '" + field + "' is missing; allowed: " + allowed;
        }
        return "configuration field '" + field + "' has value '" + value + "'; allowed: " + allowed;
    }
}
