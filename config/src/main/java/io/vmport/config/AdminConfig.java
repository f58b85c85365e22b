package io.vmport.config;

/**
 * The admin HTTP API of this node (SPEC PM-4): loopback unless configured otherwise, and a bearer token that
 * every request except {@code /health} must carry. {@link #toString()} does not show the token.
 *
 * @param host  the address to listen on; {@value #DEFAULT_HOST} when not configured
 * @param port  the TCP port
 * @param token the bearer token: visible ASCII characters, no spaces
 */
public record AdminConfig(String host, int port, String token) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    static final String TOKEN_TEXT = "a non-blank token of visible ASCII characters without spaces "
            + "(it is sent as an HTTP bearer token)";

    public AdminConfig {
        Hosts.requireHost("admin.host", host);
        Checks.port("admin.port", port);
        Checks.present("admin.token", token, TOKEN_TEXT);
        if (token.isBlank()) {
            throw new ConfigException("admin.token", token, TOKEN_TEXT);
        }
        if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new ConfigException("admin.token", Secrets.hidden(token), TOKEN_TEXT);
        }
    }

    @Override
    public String toString() {
        return "AdminConfig[host=" + host + ", port=" + port + ", token=" + Secrets.hidden(token) + "]";
    }
}
