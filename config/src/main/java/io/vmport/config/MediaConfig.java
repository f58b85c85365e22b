package io.vmport.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this node's RTP sockets bind (SPEC MD-1): one UDP port of {@code firstRtpPort..lastRtpPort} per
 * answered call. RTP takes the even port of a pair (RFC 3550 section 11), so the range starts on an even
 * port; two nodes on one host need ranges that do not overlap.
 *
 * @param host         the address RTP binds to and the SDP answer names
 * @param firstRtpPort the first port of the range, even, from 1024
 * @param lastRtpPort  the last port of the range, above the first, up to 65535
 */
public record MediaConfig(String host, int firstRtpPort, int lastRtpPort) {
    /** The default range, as DESIGN section 4's example gives it. */
    public static final int DEFAULT_FIRST_RTP_PORT = 20_000;
    public static final int DEFAULT_LAST_RTP_PORT = 29_999;
    static final int MIN_RTP_PORT = 1024;
    static final String RANGE_TEXT = "FIRST-LAST, e.g. 20000-29999: an even first port, a last port above it "
            + "(at least 2 ports), both from " + MIN_RTP_PORT + " to " + Checks.MAX_PORT;
    private static final Pattern RANGE = Pattern.compile("([0-9]{1,5})-([0-9]{1,5})");

    public MediaConfig {
        Hosts.requireHost("media.host", host);
        String shown = firstRtpPort + "-" + lastRtpPort;
        if (firstRtpPort < MIN_RTP_PORT || lastRtpPort > Checks.MAX_PORT) {
            throw new ConfigException("media.rtpPorts", shown, RANGE_TEXT + " (outside " + MIN_RTP_PORT + ".."
                    + Checks.MAX_PORT + ")");
        }
        if (firstRtpPort % 2 != 0) {
            throw new ConfigException("media.rtpPorts", shown, RANGE_TEXT + " (the first port is odd)");
        }
        if (lastRtpPort <= firstRtpPort) {
            throw new ConfigException("media.rtpPorts", shown, RANGE_TEXT + " (the last port is not above the first)");
        }
    }

    /** The default range on {@code host}. */
    public static MediaConfig defaults(String host) {
        return new MediaConfig(host, DEFAULT_FIRST_RTP_PORT, DEFAULT_LAST_RTP_PORT);
    }

    /** Parses {@code FIRST-LAST}; a refusal names {@code field}, the text and what is allowed. */
    static int[] parseRange(String field, String text) {
        Matcher m = RANGE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new ConfigException(field, text, RANGE_TEXT);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** How many calls the range can carry: one even port each. */
    public int sessionCapacity() {
        return (lastRtpPort - firstRtpPort) / 2 + 1;
    }

    /** Whether {@code port} on {@code otherHost} falls inside this range on a host that may be the same. */
    boolean claims(String otherHost, int port) {
        return port >= firstRtpPort && port <= lastRtpPort && Hosts.mayOverlap(host, otherHost);
    }

    @Override
    public String toString() {
        return host + " " + firstRtpPort + "-" + lastRtpPort;
    }
}
