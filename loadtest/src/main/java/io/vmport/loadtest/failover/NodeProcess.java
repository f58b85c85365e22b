package io.vmport.loadtest.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.loadtest.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code vmport node --config FILE} process started from the engine's shaded jar, with its admin API for the
 * test to read. Stopped by its pid: SIGTERM then SIGKILL, or {@link #kill9()} for a crash.
 */
public final class NodeProcess implements AutoCloseable {
    public static final String TOKEN = "failover-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    public final String name;
    public final Path configFile;
    public final Path logFile;
    public final int adminPort;
    public final int sipPort;
    public final String adminHost;
    private final Path jar;
    private final List<String> prefix;
    /** A small heap and C1 only: the tests' nodes start fast and leave the shared cores to the others. */
    private List<String> jvmOptions = List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1");
    private Process process;

    public NodeProcess(String name, Path jar, Path configFile, Path logFile, int adminPort, int sipPort) {
        this(name, jar, configFile, logFile, "127.0.0.1", adminPort, sipPort, List.of());
    }

    /**
     * @param prefix what runs the JVM, e.g. {@code ip netns exec NS} (which execs it: the pid stays the JVM's)
     */
    NodeProcess(String name, Path jar, Path configFile, Path logFile, String adminHost, int adminPort, int sipPort,
                List<String> prefix) {
        this.name = name;
        this.jar = jar;
        this.configFile = configFile;
        this.logFile = logFile;
        this.adminHost = adminHost;
        this.adminPort = adminPort;
        this.sipPort = sipPort;
        this.prefix = List.copyOf(prefix);
    }

    /** Replaces the JVM options of the next {@link #start()} (a benchmark's node wants the full JIT). */
    public NodeProcess jvmOptions(String... options) {
        jvmOptions = List.of(options);
        return this;
    }

    /** Starts the process (again after a kill); the log is appended to. */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "node", "--config", configFile.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9 PID}: the node dies without a word to its peer or the database. */
    public void kill9() throws IOException, InterruptedException {
        long pid = process.pid();
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -9 " + pid + " failed");
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid + ") still alive 5 s after kill -9");
        }
    }

    /** GET /api/cluster, or null when the node does not answer (not started, dead, still starting). */
    public JsonNode cluster() {
        HttpResponse<String> r = send(request("/api/cluster", Duration.ofMillis(500)).GET().build());
        try {
            return r != null && r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** GETs {@code path} from the node's admin API: the status code and body, or "no answer". */
    public String get(String path) {
        HttpResponse<String> r = send(request(path, Duration.ofSeconds(10)).GET().build());
        return r == null ? "no answer" : r.statusCode() + "\n" + r.body();
    }

    /** POSTs to the node's admin API; the status code, or -1 without an answer. */
    public int post(String path) {
        HttpResponse<String> r = send(request(path, Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        return r == null ? -1 : r.statusCode();
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://" + adminHost + ":" + adminPort + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(timeout);
    }

    /** The answer, or null when there is none (refused, timed out, interrupted). */
    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** ST-1 in {@code view} (a /api/cluster body): publisher PRIMARY, subscriber SECONDARY, the peer link up. */
    public static boolean settled(JsonNode view) {
        return view != null && "PRIMARY".equals(status(view, "publisher"))
                && "SECONDARY".equals(status(view, "subscriber"))
                && view.path("servers").path(0).path("peerConnected").asBoolean();
    }

    /** The engine's shaded jar ({@code vmport.jar} system property, set by the loadtest pom), or the test fails. */
    public static Path shadedJar() {
        Path jar = Path.of(System.getProperty("vmport.jar", "../engine/target/vmport.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no engine jar at " + jar + ": build it first (mvn -B package -pl engine -am "
                    + "-DskipTests); mvn verify builds it before this module's tests");
        }
        return jar;
    }

    /** {@code host:port} of the node's SIP trunk: the Via of what it sends. */
    public String sipAddress() {
        return adminHost + ":" + sipPort;
    }

    /** What {@code view} (a /api/cluster body) says of {@code server}: its status, or "" without a view. */
    public static String status(JsonNode view, String server) {
        JsonNode s = server(view, server);
        return s == null ? "" : s.path("status").asText();
    }

    /** Calls in progress on {@code server} in {@code view}, or -1 without a view. */
    public static int calls(JsonNode view, String server) {
        JsonNode s = server(view, server);
        return s == null ? -1 : s.path("callsInProgress").asInt();
    }

    private static JsonNode server(JsonNode view, String server) {
        if (view == null) {
            return null;
        }
        for (JsonNode s : view.path("servers")) {
            if (server.equals(s.path("name").asText())) {
                return s;
            }
        }
        return null;
    }

    /** The last lines of the node's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        Processes.stop(process, 10);
    }
}
