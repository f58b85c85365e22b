package io.vmport.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The order in which a server picks its idle ports (SPEC PT-4), as phone systems offer it. */
public enum HuntOrder {
    /** Always the lowest-numbered idle port. */
    TOP_DOWN("top-down"),
    /** The next idle port after the one picked last, wrapping around. */
    CIRCULAR("circular"),
    /** The port that has been idle the longest. */
    LONGEST_IDLE("longest-idle");

    private final String configName;

    HuntOrder(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static HuntOrder fromConfigName(String field, String name) {
        for (HuntOrder h : values()) {
            if (h.configName.equals(name)) {
                return h;
            }
        }
        throw new ConfigException(field, name, "one of " + allowedNames());
    }

    static String allowedNames() {
        return Arrays.stream(values()).map(HuntOrder::configName).collect(Collectors.joining(", "));
    }
}
