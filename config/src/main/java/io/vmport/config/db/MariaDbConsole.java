package io.vmport.config.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a MariaDB process's console (stdout and stderr merged) on its own thread: logs each line, keeps the last
 * ones for error messages, and completes {@link #ready()} when the server says it accepts connections.
 */
final class MariaDbConsole implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("io.vmport.config.db.mariadbd");
    private static final String READY = ": ready for connections.";
    private static final int TAIL_LINES = 40;

    private final InputStream console;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Deque<String> tail = new ArrayDeque<>(TAIL_LINES);

    MariaDbConsole(InputStream console) {
        this.console = console;
    }

    /** Completes when the server is ready; fails when its console closes first (the process ended). */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** The last lines the process printed, one per line, for error messages. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(console, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                remember(line);
                if (line.contains("[ERROR]")) {
                    LOG.warn("{}", line);
                } else {
                    LOG.debug("{}", line);
                }
                if (line.contains(READY)) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            LOG.debug("console closed: {}", e.toString());
        } finally {
            ready.completeExceptionally(new IllegalStateException("mariadbd ended before it was ready for connections"));
        }
    }

    private void remember(String line) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }
}
