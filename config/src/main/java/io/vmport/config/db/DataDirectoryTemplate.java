package io.vmport.config.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB data directory as {@code mariadb-install-db} leaves it, made once beside the binaries and copied for
 * every new server: copying its ~35 MB takes far less than the install (1 s on an idle machine, 5 s and more on
 * a busy one). Its name carries a hash of the server options, which the install and the server must share.
 */
final class DataDirectoryTemplate {
    private DataDirectoryTemplate() {
    }

    /** Creates {@code target} (which must not exist) as a copy of the template, making the template if needed. */
    static void copyTo(Path target, Path base, List<String> serverOptions, long timeoutMs) throws IOException {
        Path template = base.resolveSibling(base.getFileName() + "-data-" + Integer.toHexString(serverOptions.hashCode()));
        if (!Files.isDirectory(template.resolve("mysql"))) {
            install(template, base, serverOptions, timeoutMs);
        }
        try (Stream<Path> files = Files.walk(template)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(template.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Runs the install into a sibling directory, then renames it into place: the template is whole or absent. */
    private static void install(Path template, Path base, List<String> serverOptions, long timeoutMs) throws IOException {
        Path partial = template.resolveSibling(template.getFileName() + ".partial-" + UUID.randomUUID());
        Path log = template.resolveSibling(partial.getFileName() + ".log");
        List<String> command = new ArrayList<>(List.of(
                base.resolve("scripts/mariadb-install-db").toString(),
                "--no-defaults",
                "--basedir=" + base,
                "--datadir=" + partial,
                "--auth-root-authentication-method=socket",
                "--skip-test-db",
                "--skip-name-resolve",
                "--force"));
        command.addAll(serverOptions);
        try {
            Process install = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean exited = install.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
            if (!exited || install.exitValue() != 0) {
                install.destroyForcibly();
                throw new IllegalStateException("mariadb-install-db failed in " + partial + " ("
                        + (exited ? "exit status " + install.exitValue() : "no exit after " + timeoutMs + " ms")
                        + "); output:\n" + tail(log));
            }
            try {
                Files.move(partial, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(template.resolve("mysql"))) { // else another JVM finished first: use its copy
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running mariadb-install-db", e);
        } finally {
            MariaDbBinaries.deleteQuietly(partial);
            Files.deleteIfExists(log);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
