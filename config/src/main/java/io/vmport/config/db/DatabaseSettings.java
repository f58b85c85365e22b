package io.vmport.config.db;

import io.vmport.config.ConfigException;
import io.vmport.config.DatabaseTimeouts;
import io.vmport.config.JdbcUrl;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a node reaches the shared database (SPEC CL-2): a MySQL-protocol server (MySQL 8, MariaDB 10.6+) through
 * MySQL Connector/J. Validated on construction; a bad value is refused with a {@link ConfigException} naming it.
 *
 * @param jdbcUrl             {@code jdbc:mysql://host:port/database[?options]}
 * @param user                database user
 * @param password            its password; never printed
 * @param maxPoolSize         connections in the pool (a fixed-size pool)
 * @param connectionTimeoutMs how long a caller waits for a pooled connection
 * @param timeouts            how long a connection waits for a host that stops answering ({@link DatabaseTimeouts}:
 *                            connect, statement, the own node's status read); bound the hang when a database host
 *                            vanishes (SPEC BI-4, issue 18)
 */
public record DatabaseSettings(
        String jdbcUrl,
        String user,
        String password,
        int maxPoolSize,
        long connectionTimeoutMs,
        DatabaseTimeouts timeouts) {

    public static final int DEFAULT_MAX_POOL_SIZE = 4;
    public static final long DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
    public static final int MAX_POOL_SIZE = 64;
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password\\d?=)[^&]*");

    public DatabaseSettings {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:mysql://") || jdbcUrl.length() == "jdbc:mysql://".length()) {
            throw new ConfigException("database.url", jdbcUrl == null ? null : mask(jdbcUrl),
                    "a MySQL Connector/J URL, jdbc:mysql://host:port/database");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (maxPoolSize < 1 || maxPoolSize > MAX_POOL_SIZE) {
            throw new ConfigException("database.maxPoolSize", maxPoolSize, "an integer from 1 to " + MAX_POOL_SIZE);
        }
        if (connectionTimeoutMs < 250 || connectionTimeoutMs > 600_000) {
            throw new ConfigException("database.connectionTimeoutMs", connectionTimeoutMs, "an integer from 250 to 600000");
        }
        Objects.requireNonNull(timeouts, "timeouts");
        timeouts.checkFor(multiHost(jdbcUrl)); // several hosts: a silent one must not hold a statement for ever
    }

    /** The URL and credentials with the default pool size and timeouts. */
    public static DatabaseSettings of(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(jdbcUrl, user, password, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT_MS,
                DatabaseTimeouts.DEFAULTS);
    }

    public DatabaseSettings withMaxPoolSize(int size) {
        return new DatabaseSettings(jdbcUrl, user, password, size, connectionTimeoutMs, timeouts);
    }

    /** The pool wait and the statement timeout changed, the other timeouts kept. */
    public DatabaseSettings withTimeouts(long connectionTimeoutMs, long socketTimeoutMs) {
        return new DatabaseSettings(jdbcUrl, user, password, maxPoolSize, connectionTimeoutMs,
                new DatabaseTimeouts(timeouts.connectTimeoutMs(), socketTimeoutMs, timeouts.ownNodeTimeoutMs()));
    }

    public DatabaseSettings withTimeouts(DatabaseTimeouts timeouts) {
        return new DatabaseSettings(jdbcUrl, user, password, maxPoolSize, connectionTimeoutMs, timeouts);
    }

    /** How long a statement waits for the server's answer (0: no limit). */
    public long socketTimeoutMs() {
        return timeouts.socketTimeoutMs();
    }

    /**
     * The URL parsed: its hosts (several for a Galera cluster, this node's own database node first).
     *
     * @throws ConfigException when the URL is not of the form {@link JdbcUrl} reads
     */
    public JdbcUrl parsedUrl() {
        return JdbcUrl.parse("database.url", jdbcUrl);
    }

    /** Whether the URL names several hosts (the nodes of a replicated cluster), read leniently: false if unparsable. */
    public boolean multiHost() {
        return multiHost(jdbcUrl);
    }

    private static boolean multiHost(String jdbcUrl) {
        try {
            return JdbcUrl.parse("database.url", jdbcUrl).multiHost();
        } catch (ConfigException e) {
            return false;
        }
    }

    /** The URL with any password in it replaced by {@code ***}: safe for logs and error messages. */
    public String safeUrl() {
        return mask(jdbcUrl);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + safeUrl() + ", user=" + user + ", maxPoolSize=" + maxPoolSize
                + ", connectionTimeoutMs=" + connectionTimeoutMs + ", " + timeouts + "]";
    }

    static String mask(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
    }
}
