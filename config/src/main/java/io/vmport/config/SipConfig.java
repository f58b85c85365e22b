package io.vmport.config;

import java.net.InetAddress;
import java.util.List;

/**
 * Where this node listens for SIP (UDP and TCP), and the trunk's allowed source addresses (SPEC BI-1: a call
 * from outside them gets 403).
 *
 * @param host  the address to listen on
 * @param port  the UDP and TCP port
 * @param allow the blocks a SIP request may come from; at least one
 * @param overloadTargetMs standing queueing delay (ms) past which new INVITEs are shed with 503; 0 turns that off
 * @param redirectMaxRingingPercent a server with no free port redirects a call to the other server (302) only
 *        while at most this share of its calls are still being set up (RINGING); past it the ports are held by
 *        a queue of offers, not by calls, and the call is refused 503 with Retry-After (CA-1, BI-1). 100 always
 *        redirects
 */
public record SipConfig(String host, int port, List<Cidr> allow, int overloadTargetMs,
                        int redirectMaxRingingPercent) {
    /** The default of {@code sip.overloadTargetMs}. */
    public static final int DEFAULT_OVERLOAD_TARGET_MS = 50;
    /** The default of {@code sip.redirectMaxRingingPercent}: a full server redirects while most calls are up. */
    public static final int DEFAULT_REDIRECT_MAX_RINGING_PERCENT = 50;
    static final String OVERLOAD_TEXT = "0 (never shed) or 20..400 milliseconds, below SIP's T1 of 500 ms";
    static final String RINGING_PERCENT_TEXT = "0..100 percent of the server's calls in progress (100 always "
            + "redirects a call a full server cannot take)";
    static final String ALLOW_TEXT = "a list of one or more IPv4 or IPv6 addresses or CIDR blocks, "
            + "e.g. [10.0.0.0/8, 192.168.1.20]";

    public SipConfig {
        Hosts.requireHost("sip.host", host);
        Checks.port("sip.port", port);
        Checks.present("sip.allow", allow, ALLOW_TEXT);
        if (allow.isEmpty()) {
            throw new ConfigException("sip.allow", "[]", ALLOW_TEXT);
        }
        allow = List.copyOf(allow);
        if (overloadTargetMs != 0 && (overloadTargetMs < 20 || overloadTargetMs > 400)) {
            throw new ConfigException("sip.overloadTargetMs", Integer.toString(overloadTargetMs), OVERLOAD_TEXT);
        }
        if (redirectMaxRingingPercent < 0 || redirectMaxRingingPercent > 100) {
            throw new ConfigException("sip.redirectMaxRingingPercent", Integer.toString(redirectMaxRingingPercent),
                    RINGING_PERCENT_TEXT);
        }
    }

    /** With the default overload target and redirect threshold. */
    public SipConfig(String host, int port, List<Cidr> allow) {
        this(host, port, allow, DEFAULT_OVERLOAD_TARGET_MS, DEFAULT_REDIRECT_MAX_RINGING_PERCENT);
    }

    /** Whether a SIP request from this source address is allowed. */
    public boolean allows(InetAddress source) {
        for (Cidr block : allow) {
            if (block.contains(source)) {
                return true;
            }
        }
        return false;
    }
}
