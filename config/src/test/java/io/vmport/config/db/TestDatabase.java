package io.vmport.config.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Databases for tests, in this module and (through the config test-jar) in engine and loadtest: ONE MariaDB server
 * per test JVM, started lazily on a free port with its data in a temporary directory and stopped at JVM exit, and
 * a fresh, migrated database (schema) on it for each test, so that tests are isolated while the server starts once.
 *
 * <p>With the environment variable {@value #URL_ENV} set (e.g. {@code jdbc:mysql://127.0.0.1:3306/}), that
 * server is used instead, as {@value #USER_ENV} / {@value #PASSWORD_ENV} (default root, no password); that user
 * must be allowed to create databases named {@code vmport_test_*}. The databases made there are dropped at exit.
 *
 * <pre>{@code
 * try (Database db = TestDatabase.openFresh()) { ... }
 * DatabaseSettings shared = TestDatabase.freshDatabase();   // open it several times: several "nodes"
 * }</pre>
 */
public final class TestDatabase {
    public static final String URL_ENV = "VMPORT_TEST_DB_URL";
    public static final String USER_ENV = "VMPORT_TEST_DB_USER";
    public static final String PASSWORD_ENV = "VMPORT_TEST_DB_PASSWORD";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static Server server;

    private TestDatabase() {
    }

    /** A new database with the schema migrated: URL and credentials, to open one or more {@link Database}s. */
    public static DatabaseSettings freshDatabase() {
        DatabaseSettings settings = emptyDatabase();
        Migrations.apply(settings);
        return settings;
    }

    /** A new, migrated database, opened. Close it at the end of the test. */
    public static Database openFresh() {
        return Database.open(freshDatabase());
    }

    /** A new database with no tables at all (to test the migrations themselves). */
    public static DatabaseSettings emptyDatabase() {
        Server s = server();
        String name = "vmport_test_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.url(""), s.user, s.password);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE `" + name + "` DEFAULT CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + s.describe() + ": "
                    + e.getMessage(), e);
        }
        s.created.add(name);
        return DatabaseSettings.of(s.url(name), s.user, s.password);
    }

    /** The embedded server of this JVM, or {@code null} when {@value #URL_ENV} points elsewhere. */
    public static synchronized EmbeddedDatabase embedded() {
        return server().embedded;
    }

    /** Where the test databases live, for messages. */
    public static String describe() {
        return server().describe();
    }

    private static synchronized Server server() {
        if (server == null) {
            String external = System.getenv(URL_ENV);
            server = external == null || external.isBlank() ? startEmbedded() : external(external);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "vmport-test-db-stop"));
        }
        return server;
    }

    private static Server startEmbedded() {
        Path dir;
        try {
            dir = Files.createTempDirectory("vmport-test-db-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the test database", e);
        }
        EmbeddedDatabase db = EmbeddedDatabase.builder(dir).port(0).durable(false).maxConnections(500).start();
        String base = "jdbc:mysql://" + EmbeddedDatabase.HOST + ":" + db.port();
        return new Server(base, "sslMode=DISABLED", db.user(), db.password(), db, dir);
    }

    private static Server external(String url) {
        String prefix = "jdbc:mysql://";
        if (!url.startsWith(prefix)) {
            throw new IllegalStateException(URL_ENV + " must be a jdbc:mysql://host:port/ URL, was " + url);
        }
        int query = url.indexOf('?');
        String withoutQuery = query < 0 ? url : url.substring(0, query);
        int slash = withoutQuery.indexOf('/', prefix.length());
        String base = slash < 0 ? withoutQuery : withoutQuery.substring(0, slash);
        String user = System.getenv().getOrDefault(USER_ENV, "root");
        String password = System.getenv().getOrDefault(PASSWORD_ENV, "");
        return new Server(base, query < 0 ? "" : url.substring(query + 1), user, password, null, null);
    }

    private static final class Server {
        final String base;
        final String query;
        final String user;
        final String password;
        final EmbeddedDatabase embedded;
        final Path directory;
        final List<String> created = Collections.synchronizedList(new ArrayList<>());

        Server(String base, String query, String user, String password, EmbeddedDatabase embedded, Path directory) {
            this.base = base;
            this.query = query;
            this.user = user;
            this.password = password;
            this.embedded = embedded;
            this.directory = directory;
        }

        String url(String database) {
            return base + "/" + database + (query.isEmpty() ? "" : "?" + query);
        }

        String describe() {
            return embedded != null ? "embedded MariaDB " + base : "external server " + DatabaseSettings.mask(base);
        }

        void stop() {
            if (embedded != null) {
                embedded.close();
                MariaDbBinaries.deleteQuietly(directory);
                return;
            }
            try (Connection c = DriverManager.getConnection(url(""), user, password);
                 Statement st = c.createStatement()) {
                for (String name : created) {
                    st.execute("DROP DATABASE IF EXISTS `" + name + "`");
                }
            } catch (SQLException e) {
                System.err.println("could not drop the test databases " + created + ": " + e.getMessage());
            }
        }
    }
}
