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
        this(message(field, value, allowed), field, value, allowed, null);
    }

    private ConfigException(String message, String field, Object value, String allowed, Throwable cause) {
        super(message, cause);
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
        this.allowed = allowed;
    }

    /** A key that the map at its level does not know, e.g. a typo such as {@code heartbeatIntervalMS}. */
    static ConfigException unknownKey(String field, String key, String allowed) {
        return new ConfigException("configuration field '" + field + "' is not a known key; allowed: " + allowed,
                field, key, allowed, null);
    }

    /** A key given twice in one map. The value is not shown: the reader cannot tell whether it is a secret. */
    static ConfigException duplicateKey(String field, String key, int firstLine) {
        String allowed = "each key once in a map";
        return new ConfigException("configuration field '" + field + "' is given twice (first on line " + firstLine
                + "); allowed: " + allowed, field, key, allowed, null);
    }

    /**
     * A problem with the document as a whole (unreadable file, not YAML), where no single field is to blame.
     * {@link #field()} is then {@code source}; {@code line} and {@code column} are left out when not positive.
     */
    static ConfigException document(String source, int line, int column, String problem, String allowed,
                                    Throwable cause) {
        String where = source + (line > 0 ? ", line " + line : "") + (line > 0 && column > 0 ? ", column " + column : "");
        return new ConfigException(where + ": " + problem + "; allowed: " + allowed, source, null, allowed, cause);
    }

    /** The same refusal with where it was found in front of the message, e.g. {@code node.yaml, line 12}. */
    ConfigException at(String where) {
        return new ConfigException(where + ": " + getMessage(), field, value, allowed, getCause());
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
