package io.vmport.config;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} endpoint, e.g. {@code 10.0.0.2:7400}, {@code vm2.example.com:7400} or
 * {@code [2001:db8::2]:7400}. The host is kept as written (without the brackets of an IPv6 literal) and is not
 * resolved here.
 */
public record HostPort(String host, int port) {
    static final String ALLOWED = "host:port with a port from 1 to 65535, e.g. 10.0.0.2:7400, "
            + "vm2.example.com:7400 or [2001:db8::2]:7400";

    public HostPort {
        if (host == null || (Hosts.ipLiteral(host).isEmpty() && !Hosts.isHostName(host))) {
            throw new IllegalArgumentException("host: " + Hosts.HOST_TEXT + ", not " + host);
        }
        if (port < Checks.MIN_PORT || port > Checks.MAX_PORT) {
            throw new IllegalArgumentException("port: " + Checks.rangeText(Checks.MIN_PORT, Checks.MAX_PORT)
                    + ", not " + port);
        }
    }

    /** Parses {@code host:port}; a refusal names {@code field}, the text and the forms allowed. */
    public static HostPort parse(String field, String text) {
        Checks.present(field, text, ALLOWED);
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new ConfigException(field, text, ALLOWED);
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
            if (host.indexOf(':') < 0 || Hosts.ipLiteral(host).isEmpty()) {
                throw new ConfigException(field, text, ALLOWED + " (brackets hold an IPv6 address)");
            }
        } else {
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new ConfigException(field, text, ALLOWED + " (the port is missing)");
            }
            if (text.indexOf(':', colon + 1) >= 0) {
                throw new ConfigException(field, text, ALLOWED + " (an IPv6 address goes in brackets)");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (Hosts.ipLiteral(host).isEmpty() && !Hosts.isHostName(host)) {
                throw new ConfigException(field, text, ALLOWED);
            }
        }
        if (!portText.matches("[1-9][0-9]{0,4}") || Integer.parseInt(portText) > Checks.MAX_PORT) {
            throw new ConfigException(field, text, ALLOWED);
        }
        return new HostPort(host, Integer.parseInt(portText));
    }

    /** Whether both name the same endpoint: same port, and hosts that are or may be the same address. */
    boolean sameEndpoint(HostPort other) {
        return port == other.port && Hosts.mayOverlap(host, other.host);
    }

    /** An address to bind or connect to; a host name is resolved now. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
