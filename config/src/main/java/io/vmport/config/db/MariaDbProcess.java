package io.vmport.config.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@code mariadbd} child process: started on 127.0.0.1 with the data directory given, ready once its
 * console says so; stopped with SIGTERM (a clean shutdown), killed if it does not stop in time.
 */
final class MariaDbProcess {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbProcess.class);
    static final long STOP_TIMEOUT_MS = 60_000;
    private static final int SOCKET_PATH_MAX = 100;
    private static final int PORT_ATTEMPTS = 3;

    private final Process process;
    private final Thread consoleThread;
    private final int port;

    private MariaDbProcess(Process process, Thread consoleThread, int port) {
        this.process = process;
        this.consoleThread = consoleThread;
        this.port = port;
    }

    /**
     * Starts the server and waits until it accepts connections. With port 0 it picks a free port, and picks
     * again if another process takes it before the server binds it.
     */
    static MariaDbProcess start(Path base, Path directory, Path data, EmbeddedDatabase.Builder config)
            throws IOException {
        int attempts = config.port == 0 ? PORT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            int chosen = config.port == 0 ? freeLoopbackPort() : config.port;
            try {
                return launch(base, directory, data, config, chosen);
            } catch (PortTaken e) {
                if (attempt == attempts) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.debug("port {} was taken before mariadbd bound it; trying another", chosen);
            }
        }
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server: SIGTERM, then SIGKILL after {@value #STOP_TIMEOUT_MS} ms. */
    synchronized void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
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

    /** Options for both the install and the server; the install's must match the server's. */
    static List<String> serverOptions() {
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

    private static MariaDbProcess launch(Path base, Path directory, Path data, EmbeddedDatabase.Builder config,
                                         int chosenPort) throws IOException {
        Path initFile = writeInitFile(directory, config);
        List<String> command = new ArrayList<>(List.of(
                base.resolve("bin/mariadbd").toString(),
                "--no-defaults",
                "--console",
                "--basedir=" + base,
                "--datadir=" + data,
                "--tmpdir=" + directory.resolve("tmp"),
                "--pid-file=" + directory.resolve("mariadbd.pid"),
                "--socket=" + socketPath(directory, chosenPort),
                "--port=" + chosenPort,
                "--bind-address=" + EmbeddedDatabase.HOST,
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
            return new MariaDbProcess(started, thread, chosenPort);
        } catch (ExecutionException | TimeoutException e) {
            started.destroyForcibly();
            waitFor(started, STOP_TIMEOUT_MS);
            String tail = console.tail();
            String why = e instanceof TimeoutException ? "not ready after " + config.startTimeoutMs + " ms" : "it exited";
            String message = "mariadbd did not start on " + EmbeddedDatabase.HOST + ":" + chosenPort + " with data in "
                    + data + " (" + why + "); last output:\n" + tail;
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

    /**
     * SQL the server runs at start: the database, the user with its password, and the user's privileges on the
     * databases whose name starts with the database name. Holds the password: owner-only, deleted once started.
     */
    private static Path writeInitFile(Path directory, EmbeddedDatabase.Builder config) throws IOException {
        Path file = directory.resolve("init.sql");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String account = "'" + config.user + "'@'" + EmbeddedDatabase.HOST + "'";
        String password = config.password.replace("\\", "\\\\").replace("'", "\\'");
        String sql = "CREATE DATABASE IF NOT EXISTS `" + config.database + "` DEFAULT CHARACTER SET utf8mb4;\n"
                + "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + password + "';\n"
                + "ALTER USER " + account + " IDENTIFIED BY '" + password + "';\n"
                + "GRANT ALL PRIVILEGES ON `" + config.database + "%`.* TO " + account + ";\n";
        Files.writeString(file, sql, StandardCharsets.UTF_8);
        return file;
    }

    /** In the directory when the path is short enough for a Unix socket, else in the temporary directory. */
    private static String socketPath(Path directory, int chosenPort) {
        Path inDirectory = directory.resolve("mariadbd.sock");
        if (inDirectory.toString().length() <= SOCKET_PATH_MAX) {
            return inDirectory.toString();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "vmport-mariadbd-" + chosenPort + ".sock").toString();
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedDatabase.HOST))) {
            return socket.getLocalPort();
        }
    }

    static boolean waitFor(Process p, long timeoutMs) {
        try {
            return p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }
}
