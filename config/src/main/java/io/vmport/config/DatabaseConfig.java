package io.vmport.config;

import java.nio.file.Path;

/**
 * The shared database (SPEC CL-2), in exactly one of two forms: an external MySQL or MariaDB server
 * ({@code url}, {@code user}, {@code password}), or the embedded MariaDB keeping its files in
 * {@code embeddedDir} (both nodes on one host only). The fields of the other form are {@code null}.
 * {@link #toString()} does not show the password.
 *
 * @param url         JDBC URL of the external server, e.g. {@code jdbc:mysql://db1:3306/vmport}, or of the nodes of a
 *                    Galera cluster, this node's own first: {@code jdbc:mysql://db1:3306,db2:3306,db3:3306/vmport}
 *                    ({@link JdbcUrl})
 * @param user        database user of the external server
 * @param password    its password; may be empty
 * @param embeddedDir where the embedded MariaDB keeps its data, relative to the working directory unless absolute
 * @param poolSize    connections in this node's pool, {@value #MIN_POOL_SIZE} to {@value #MAX_POOL_SIZE}
 * @param timeouts    how long the node waits for a host that stops answering (external server only; the embedded
 *                    database takes {@link DatabaseTimeouts#DEFAULTS})
 */
public record DatabaseConfig(String url, String user, String password, Path embeddedDir, int poolSize,
                             DatabaseTimeouts timeouts) {
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int MIN_POOL_SIZE = 1;
    public static final int MAX_POOL_SIZE = 100;

    static final String URL_PREFIX = "jdbc:mysql:";
    static final String URL_TEXT = "a JDBC URL starting with " + URL_PREFIX + ", e.g. jdbc:mysql://db1:3306/vmport";
    static final String USER_TEXT = "a non-blank database user name";
    static final String PASSWORD_TEXT = "the database user's password, as a string (may be empty: \"\")";
    static final String DIR_TEXT = "a directory for the embedded database's files, e.g. ./vmport-data";
    static final String FORMS_TEXT = "either url, user and password (an external MySQL or MariaDB server) "
            + "or embedded: DIR (the embedded MariaDB), not both";

    public DatabaseConfig {
        Checks.present("database timeouts", timeouts, "connectTimeoutMs, socketTimeoutMs, ownNodeTimeoutMs");
        if ((url == null) == (embeddedDir == null)) {
            throw new ConfigException("database", url == null ? "neither url nor embedded" : "both url and embedded",
                    FORMS_TEXT);
        }
        if (url != null) {
            if (!url.startsWith(URL_PREFIX) || url.length() == URL_PREFIX.length()) {
                throw new ConfigException("database.url", url, URL_TEXT);
            }
            if (url.startsWith(JdbcUrl.PREFIX)) {
                // hosts, database, failover options; with several hosts a statement's wait must be bounded
                timeouts.checkFor(JdbcUrl.parse("database.url", url).multiHost());
            }
            Checks.present("database.user", user, USER_TEXT);
            if (user.isBlank()) {
                throw new ConfigException("database.user", user, USER_TEXT);
            }
            Checks.present("database.password", password, PASSWORD_TEXT);
        } else {
            if (user != null || password != null) {
                throw new ConfigException("database", "embedded with user or password", FORMS_TEXT);
            }
            if (embeddedDir.toString().isBlank()) {
                throw new ConfigException("database.embedded", embeddedDir, DIR_TEXT);
            }
        }
        Checks.range("database.poolSize", poolSize, MIN_POOL_SIZE, MAX_POOL_SIZE);
    }

    /** An external MySQL or MariaDB server, with the default timeouts. */
    public static DatabaseConfig external(String url, String user, String password, int poolSize) {
        return external(url, user, password, poolSize, DatabaseTimeouts.DEFAULTS);
    }

    /** An external MySQL or MariaDB server (or the nodes of a Galera cluster). */
    public static DatabaseConfig external(String url, String user, String password, int poolSize,
                                          DatabaseTimeouts timeouts) {
        return new DatabaseConfig(url, user, password, null, poolSize, timeouts);
    }

    /** The embedded MariaDB, its files in {@code dir}. */
    public static DatabaseConfig embedded(Path dir, int poolSize) {
        return new DatabaseConfig(null, null, null, dir, poolSize, DatabaseTimeouts.DEFAULTS);
    }

    public boolean isEmbedded() {
        return embeddedDir != null;
    }

    @Override
    public String toString() {
        return isEmbedded()
                ? "DatabaseConfig[embedded=" + embeddedDir + ", poolSize=" + poolSize + "]"
                : "DatabaseConfig[url=" + url + ", user=" + user + ", password=" + Secrets.hidden(password)
                        + ", poolSize=" + poolSize + ", " + timeouts + "]";
    }
}
