package io.vmport.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the phone system reaches the voice-messaging ports (SPEC section 3). */
public enum Integration {
    /** A PBX SIP trunk to both servers; N/2 ports each, calls spread equally. */
    SIP_TRUNK("sip-trunk"),
    /** 2N SCCP port devices; N per server; hunt list: the subscriber's first, then the publisher's. */
    SCCP("sccp"),
    /** N gateway ports shared by both servers; a shared port is in at most one call across the cluster. */
    PIMG("pimg"),
    /** Another SIP phone system; N/2 ports each, calls spread equally. */
    OTHER_SIP("other-sip");

    private final String configName;

    Integration(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration files, on the command line and in JSON, e.g. {@code sip-trunk}. */
    public String configName() {
        return configName;
    }

    /** Parses a configuration name; refuses anything else with the list of names allowed. */
    public static Integration fromConfigName(String field, String name) {
        for (Integration i : values()) {
            if (i.configName.equals(name)) {
                return i;
            }
        }
        throw new ConfigException(field, name, "one of " + allowedNames());
    }

    static String allowedNames() {
        return Arrays.stream(values()).map(Integration::configName).collect(Collectors.joining(", "));
    }
}
