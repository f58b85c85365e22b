package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ServerName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 4 (PM-2, PM-3, PM-4): the answer to an administrative action carries the new cluster view, and the
 * next {@code GET /api/cluster}, asked at once (no sleep, no poll) of either node, agrees with it: on the node that
 * performed the action and on the other one, whether the action was asked of the node of its server or forwarded.
 * A DEACTIVATED server's ports are out of service, not busy (PT-2).
 */
class ActionViewAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int PORTS_PER_SERVER = 3;

    private static NodePair pair;

    @BeforeAll
    static void start() throws Exception {
        pair = NodePair.start(PORTS_PER_SERVER);
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void pm4_st4_st6_deactivateAndActivate_askedOfTheOtherNode_bothNodesAgreeAtOnce() throws Exception {
        Node asked = pair.publisher;
        JsonNode answer = post(asked, "subscriber", "deactivate");
        assertEquals("DEACTIVATED", answer.path("result").path("status").asText(), answer.toString());
        assertEquals("DEACTIVATED", server(answer.path("cluster"), ServerName.SUBSCRIBER).path("status").asText(),
                "the answer's own view: " + answer);
        for (Node node : both()) {
            JsonNode sub = server(cluster(node), ServerName.SUBSCRIBER);
            assertEquals("DEACTIVATED", sub.path("status").asText(), node.self() + " says " + sub);
            // PT-2: a DEACTIVATED server's ports are out of service, none busy, none idle
            assertEquals(0, sub.path("portsBusy").asInt(), node.self() + " says " + sub);
            assertEquals(0, sub.path("portsIdle").asInt(), node.self() + " says " + sub);
            assertEquals(PORTS_PER_SERVER, sub.path("portsOutOfService").asInt(), node.self() + " says " + sub);
        }

        post(asked, "subscriber", "activate");
        for (Node node : both()) {
            JsonNode sub = server(cluster(node), ServerName.SUBSCRIBER);
            assertEquals("SECONDARY", sub.path("status").asText(), node.self() + " says " + sub);
            assertEquals(PORTS_PER_SERVER, sub.path("portsIdle").asInt(), node.self() + " says " + sub);
            assertEquals(0, sub.path("portsOutOfService").asInt(), node.self() + " says " + sub);
        }
    }

    @Test
    void ca4_stopAndTakeCalls_askedOfEitherNode_bothNodesAgreeAtOnce() throws Exception {
        for (Node asked : both()) {
            for (ServerName target : ServerName.values()) {
                JsonNode answer = post(asked, target.configName(), "stop-taking-calls");
                assertEquals(false, server(answer.path("cluster"), target).path("takingCalls").asBoolean(),
                        "asked of " + asked.self() + ": " + answer);
                for (Node node : both()) {
                    JsonNode s = server(cluster(node), target);
                    assertEquals(false, s.path("takingCalls").asBoolean(), "stop-taking-calls " + target
                            + " asked of " + asked.self() + "; " + node.self() + " says " + s);
                }
                post(asked, target.configName(), "take-calls");
                for (Node node : both()) {
                    JsonNode s = server(cluster(node), target);
                    assertEquals(true, s.path("takingCalls").asBoolean(), "take-calls " + target + " asked of "
                            + asked.self() + "; " + node.self() + " says " + s);
                }
            }
        }
    }

    @Test
    void st5_makePrimary_askedOfTheNodeOfThatServer_theOtherNodeAgreesAtOnce() throws Exception {
        try {
            post(pair.subscriber, "subscriber", "make-primary");
            for (Node node : both()) {
                JsonNode view = cluster(node);
                assertEquals("PRIMARY", server(view, ServerName.SUBSCRIBER).path("status").asText(),
                        node.self() + " says " + view);
                assertEquals("SECONDARY", server(view, ServerName.PUBLISHER).path("status").asText(),
                        node.self() + " says " + view);
            }
        } finally {
            post(pair.subscriber, "publisher", "make-primary"); // ST-1 again for the other tests
        }
        for (Node node : both()) {
            JsonNode view = cluster(node);
            assertEquals("PRIMARY", server(view, ServerName.PUBLISHER).path("status").asText(),
                    node.self() + " says " + view);
        }
    }

    private static Node[] both() {
        return new Node[] {pair.publisher, pair.subscriber};
    }

    private static String url(Node node, String path) {
        return "http://127.0.0.1:" + node.config().admin().port() + path;
    }

    /** POSTs the action and returns the 200 answer's body: {"result":...,"cluster":...}. */
    private static JsonNode post(Node node, String server, String action) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(node,
                        "/api/servers/" + server + "/" + action)))
                .header("Authorization", "Bearer t0ken").POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), action + " " + server + " asked of " + node.self() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode cluster(Node node) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(node, "/api/cluster")))
                .header("Authorization", "Bearer t0ken").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode server(JsonNode cluster, ServerName name) {
        for (JsonNode s : cluster.path("servers")) {
            if (name.configName().equals(s.path("name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no " + name + " in " + cluster);
    }
}
