package io.vmport.loadtest.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.loadtest.SippCluster;
import io.vmport.loadtest.failover.NodeFile;
import io.vmport.loadtest.failover.NodeProcess;
import io.vmport.loadtest.sipp.SippRun;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo cluster as the console's browser sees it: {@code vmport node} twice from the engine's shaded jar (the
 * jar serves the console from its resources), on free loopback ports and one fresh test database, SIP trunk, 100 ms
 * heartbeats and 500 ms timeouts. Each node is stopped by its pid ({@link NodeProcess}).
 *
 * <p>The publisher's page is opened as {@code http://127.0.0.1:PORT/}, the subscriber's as
 * {@code http://localhost:PORT/}: cookies ignore ports, so the two hosts keep the two nodes' session cookies apart.
 */
final class ConsolePair implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final String PUBLISHER = "publisher";
    static final String SUBSCRIBER = "subscriber";
    static final String TOKEN = NodeProcess.TOKEN;
    private static final long HOLD_DOWN_MS = 2_000;
    /** Heartbeats every 100 ms; 2 s without one is a dead peer: quick to see, yet no false alarm on a busy machine. */
    private static final long HEARTBEAT_MS = 100;
    private static final long HEARTBEAT_TIMEOUT_MS = 2_000;
    private static final long START_TIMEOUT_MS = 90_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final NodeProcess publisher;
    final NodeProcess subscriber;
    final Path work;

    private ConsolePair(NodeProcess publisher, NodeProcess subscriber, Path work) {
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.work = work;
    }

    /** Starts both nodes with {@code ports} ports in all (half per server), publisher first, and waits for ST-1. */
    static ConsolePair start(Path work, int ports, String... jvmOptions) throws IOException {
        Files.createDirectories(work);
        Path jar = NodeProcess.shadedJar();
        DatabaseSettings db = TestDatabase.freshDatabase();
        int pubPeer = LoopbackPorts.freeTcp();
        int subPeer = LoopbackPorts.freeTcp();
        NodeProcess pub = node(jar, work, PUBLISHER, db, pubPeer, subPeer, ports);
        NodeProcess sub = node(jar, work, SUBSCRIBER, db, subPeer, pubPeer, ports);
        if (jvmOptions.length > 0) {
            pub.jvmOptions(jvmOptions);
            sub.jvmOptions(jvmOptions);
        }
        ConsolePair pair = new ConsolePair(pub, sub, work);
        try {
            pub.start(); // the publisher first, as an operator would: it creates the cluster (CL-3)
            Poll.await("the publisher answers", START_TIMEOUT_MS, () -> pub.cluster() != null, pub::logTail);
            sub.start();
            pair.awaitSettled(START_TIMEOUT_MS);
            return pair;
        } catch (IOException | RuntimeException | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    private static NodeProcess node(Path jar, Path work, String server, DatabaseSettings db, int peerListen,
                                    int peerAddress, int ports) throws IOException {
        int sip = LoopbackPorts.freeUdpAndTcp();
        int admin = LoopbackPorts.freeTcp();
        return new NodeFile(server, HOST, "127.0.0.0/8", sip, admin, HOST + ":" + peerListen,
                HOST + ":" + peerAddress, db.jdbcUrl(), db.user(), db.password(), ports, HOLD_DOWN_MS, HOST,
                HEARTBEAT_MS, HEARTBEAT_TIMEOUT_MS).process(jar, work);
    }

    NodeProcess node(String server) {
        return PUBLISHER.equals(server) ? publisher : subscriber;
    }

    /** The console's address on {@code server}'s node (see the class comment for the two host names). */
    String pageUrl(String server) {
        return (PUBLISHER.equals(server) ? "http://127.0.0.1:" : "http://localhost:") + node(server).adminPort + "/";
    }

    /** ST-1 on both nodes: publisher PRIMARY, subscriber SECONDARY, the peer link up. */
    void awaitSettled(long timeoutMs) {
        Poll.await("ST-1 on both nodes", timeoutMs,
                () -> NodeProcess.settled(publisher.cluster()) && NodeProcess.settled(subscriber.cluster()),
                this::describe);
    }

    /**
     * Puts the cluster back to ST-1 with both servers taking calls, through the API (Bearer), after a test that
     * changed it; waits until both nodes see it.
     */
    void restore() throws IOException, InterruptedException {
        Poll.await("both nodes answer", START_TIMEOUT_MS,
                () -> publisher.cluster() != null && subscriber.cluster() != null, this::describe);
        JsonNode view = publisher.cluster();
        for (JsonNode s : view.path("servers")) {
            String name = s.path("name").asText();
            if (!s.path("takingCalls").asBoolean()) {
                post(name, "take-calls");
            }
            if ("DEACTIVATED".equals(s.path("status").asText())) {
                post(name, "activate");
            }
        }
        if (!"PRIMARY".equals(NodeProcess.status(publisher.cluster(), PUBLISHER))) {
            post(PUBLISHER, "make-primary");
        }
        Poll.await("ST-1, both servers taking calls, on both nodes", 20_000,
                () -> restored(publisher.cluster()) && restored(subscriber.cluster()), this::describe);
    }

    private static boolean restored(JsonNode view) {
        if (!NodeProcess.settled(view)) {
            return false;
        }
        for (JsonNode s : view.path("servers")) {
            if (!s.path("takingCalls").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** {@code POST /api/servers/SERVER/ACTION} on the publisher's node with the Bearer token: status and body. */
    HttpResponse<String> post(String server, String action) throws IOException, InterruptedException {
        return postJson("/api/servers/" + server + "/" + action, "");
    }

    /** {@code POST PATH} with a JSON body (or none) on the publisher's node with the Bearer token. */
    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(request(publisher, path).header("Content-Type", "application/json")
                .POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET PATH} on {@code server}'s node with the Bearer token, as JSON; fails on any status but 200. */
    JsonNode get(String server, String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(server, path));
    }

    /** {@code GET PATH} on {@code server}'s node with the Bearer token, as text; fails on any status but 200. */
    String getText(String server, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request(node(server), path).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " on " + server + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The reason of a refusal body {@code {"error": reason}}. */
    static String error(String body) throws IOException {
        return JSON.readTree(body).path("error").asText();
    }

    private static HttpRequest.Builder request(NodeProcess node, String path) {
        return HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + node.adminPort + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5));
    }

    /** A SIPp run of {@code scenario} (a loadtest resource) against {@code server}'s SIP trunk. */
    SippRun sipp(String server, String scenario) {
        return new SippRun(HOST, node(server).sipPort).scenario(SippCluster.scenario(scenario))
                .name(scenario.replace(".xml", "") + "-" + server + "-" + System.nanoTime());
    }

    String describe() {
        return "publisher sees " + publisher.cluster() + "\nsubscriber sees " + subscriber.cluster() + "\n--- "
                + publisher.logFile + "\n" + publisher.logTail() + "\n--- " + subscriber.logFile + "\n"
                + subscriber.logTail();
    }

    /** Stops both nodes by pid, the subscriber first. */
    @Override
    public void close() {
        for (NodeProcess n : List.of(subscriber, publisher)) {
            n.close();
        }
    }
}
