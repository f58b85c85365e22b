package io.vmport.engine.admin;

import static io.vmport.engine.admin.AdminTestNode.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin HTTP API against a real pipeline over the domain's router (DESIGN.md section 4): every endpoint, every
 * status code, and the contract's field names.
 */
class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORTS_PER_SERVER = 4;

    private AdminTestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private AdminTestNode node() {
        node = AdminTestNode.start(PORTS_PER_SERVER);
        return node;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static JsonNode server(JsonNode cluster, String name) {
        for (JsonNode s : cluster.path("servers")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no server " + name + " in " + cluster);
    }

    @Test
    void health_answersUpWithoutAToken() throws Exception {
        HttpResponse<String> r = node().send("GET", "/health", null);
        assertStatus(200, r);
        assertEquals("UP", json(r).path("status").asText());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }

    @Test
    void pm4_requestWithoutToken_is401WithAChallenge() {
        HttpResponse<String> r = node().send("GET", "/api/cluster", null);
        assertStatus(401, r);
        assertTrue(r.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
        assertStatus(401, node.send("GET", "/metrics", null));
        assertStatus(401, node.send("POST", "/api/servers/subscriber/deactivate?force=true", null));
    }

    @Test
    void pm4_requestWithAWrongToken_is401() throws Exception {
        HttpResponse<String> r = node().send("GET", "/api/cluster", AdminTestNode.TOKEN + "x");
        assertStatus(401, r);
        assertTrue(json(r).path("error").asText().contains("refused"), r.body());
        assertStatus(401, node.send("GET", "/api/ports", "t0ken-for-test"));
    }

    @Test
    void pm2_cluster_listsBothServersWithEveryContractField() throws Exception {
        node().connectedCall("c1", ServerName.SUBSCRIBER, "1001", CallReason.DIRECT);
        node.drained();
        HttpResponse<String> r = node.get("/api/cluster");
        assertStatus(200, r);
        JsonNode body = json(r);
        assertEquals(2, body.path("servers").size());
        for (JsonNode s : body.path("servers")) {
            for (String field : List.of("name", "role", "status", "epoch", "takingCalls", "callsInProgress",
                    "portsTotal", "portsIdle", "peerConnected", "lastHeartbeat")) {
                assertTrue(s.has(field), field + " missing from " + s);
            }
        }
        JsonNode pub = server(body, "publisher");
        JsonNode sub = server(body, "subscriber");
        assertEquals("PRIMARY", pub.path("status").asText());
        assertEquals("publisher", pub.path("role").asText());
        assertEquals("SECONDARY", sub.path("status").asText());
        assertEquals("subscriber", sub.path("role").asText());
        assertEquals(1, sub.path("callsInProgress").asInt());
        assertEquals(0, pub.path("callsInProgress").asInt());
        assertEquals(PORTS_PER_SERVER, sub.path("portsTotal").asInt());
        assertEquals(PORTS_PER_SERVER - 1, sub.path("portsIdle").asInt());
        assertTrue(sub.path("takingCalls").asBoolean());
        assertTrue(sub.path("peerConnected").asBoolean());
        assertTrue(sub.path("lastHeartbeat").asText().endsWith("Z"), sub.toString());
        assertTrue(body.path("settings").path("autoFailover").asBoolean(), body.toString());
        assertEquals(3000, body.path("settings").path("localHeartbeatTimeoutMs").asLong());
    }

    @Test
    void pm1_ports_showEveryPortWithItsCall_andFilterByServer() throws Exception {
        int port = node().connectedCall("call-42", ServerName.SUBSCRIBER, "1001", CallReason.FORWARDED_BUSY);
        node.drained();
        JsonNode all = json(node.get("/api/ports"));
        assertEquals(2 * PORTS_PER_SERVER, all.path("ports").size());
        JsonNode p = all.path("ports").get(port);
        for (String field : List.of("name", "server", "integration", "state", "callId", "caller", "called", "reason",
                "redirecting", "since", "connectedTo")) {
            assertTrue(p.has(field), field + " missing from " + p);
        }
        assertEquals("subscriber", p.path("server").asText());
        assertEquals("sip-trunk", p.path("integration").asText());
        assertEquals("IN_CALL", p.path("state").asText());
        assertEquals("call-42", p.path("callId").asText());
        assertEquals("1001", p.path("caller").asText());
        assertEquals("5000", p.path("called").asText());
        assertEquals("forwarded busy", p.path("reason").asText());
        assertEquals("2001", p.path("redirecting").asText());
        assertEquals("1001", p.path("connectedTo").asText());
        assertTrue(p.path("since").asText().endsWith("Z"));

        JsonNode sub = json(node.get("/api/ports?server=subscriber"));
        assertEquals(PORTS_PER_SERVER, sub.path("ports").size());
        for (JsonNode q : sub.path("ports")) {
            assertEquals("subscriber", q.path("server").asText());
        }
        JsonNode pub = json(node.get("/api/ports?server=publisher"));
        for (JsonNode q : pub.path("ports")) {
            assertEquals("IDLE", q.path("state").asText());
            assertTrue(q.path("callId").isNull());
        }
    }

    @Test
    void pm1_pm2_sharedGatewayPorts_countForBothServers_andListWithTheServerThatHasTheCall() throws Exception {
        node = AdminTestNode.start(Integration.PIMG, 4);
        // gateway port 4: even, so the subscriber's home port while both servers take calls (PT-1)
        int port = node.connectedCall("g1", ServerName.SUBSCRIBER, 4, "1001", CallReason.DIRECT);
        node.drained();
        assertEquals(3, port, "gateway port 4 is port index 3");
        JsonNode cluster = json(node.get("/api/cluster"));
        assertEquals(4, server(cluster, "publisher").path("portsTotal").asInt(), cluster.toString());
        assertEquals(4, server(cluster, "subscriber").path("portsTotal").asInt());
        assertEquals(1, server(cluster, "subscriber").path("callsInProgress").asInt());
        JsonNode sub = json(node.get("/api/ports?server=subscriber")).path("ports");
        assertEquals(4, sub.size(), sub.toString());
        assertEquals("shared", sub.get(3).path("server").asText());
        assertEquals("subscriber", sub.get(3).path("handledBy").asText());
        assertEquals("pimg", sub.get(2).path("integration").asText());
        JsonNode pub = json(node.get("/api/ports?server=publisher")).path("ports");
        assertEquals(3, pub.size(), "the port busy with the subscriber's call is not the publisher's now: " + pub);
    }

    @Test
    void malformedQueries_are400() throws Exception {
        node();
        HttpResponse<String> badServer = node.get("/api/ports?server=nobody");
        assertStatus(400, badServer);
        assertTrue(json(badServer).path("error").asText().contains("nobody"));
        assertStatus(400, node.get("/api/calls?limit=0"));
        assertStatus(400, node.get("/api/calls?limit=1001"));
        assertStatus(400, node.get("/api/calls?limit=ten"));
        assertStatus(400, node.get("/api/alarms?limit=-1"));
        assertStatus(400, node.get("/api/cluster?verbose=1"));
        assertStatus(400, node.get("/api/calls?limit=5&limit=6"));
        assertStatus(400, node.post("/api/servers/subscriber/take-calls?force=maybe"));
        HttpResponse<String> typo = node.post("/api/servers/subscriber/deactivate?forse=true");
        assertStatus(400, typo);
        assertEquals("SECONDARY", server(json(node.get("/api/cluster")), "subscriber").path("status").asText(),
                "a refused request changes nothing");
    }

    @Test
    void malformedEncodingOrRequest_is400() throws Exception {
        node();
        String auth = "Authorization: Bearer " + AdminTestNode.TOKEN + "\r\n";
        assertTrue(node.raw("GET /api/calls?limit=%zz HTTP/1.1\r\nHost: x\r\n" + auth
                + "Connection: close\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(node.raw("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .startsWith("HTTP/1.1 200"));
    }

    @Test
    void ca6_calls_returnTheNewestRecords_limited() throws Exception {
        for (int i = 0; i < 3; i++) {
            int port = node == null ? node().connectedCall("r" + i, ServerName.PUBLISHER, "100" + i, CallReason.DIRECT)
                    : node.connectedCall("r" + i, ServerName.PUBLISHER, "100" + i, CallReason.DIRECT);
            node.end(port, "r" + i);
        }
        node.drained();
        HttpResponse<String> r = node.get("/api/calls?limit=2");
        assertStatus(200, r);
        JsonNode calls = json(r).path("calls");
        assertEquals(2, calls.size(), r.body());
        assertEquals("r2", calls.get(0).path("callId").asText(), "newest first");
        assertEquals("ANSWERED", calls.get(0).path("outcome").asText());
        assertEquals(3, json(node.get("/api/calls")).path("calls").size());
    }

    @Test
    void al1_alarms_listTheStatusChangeAlarms() throws Exception {
        node();
        assertStatus(200, node.post("/api/servers/subscriber/deactivate"));
        HttpResponse<String> r = node.get("/api/alarms");
        assertStatus(200, r);
        JsonNode alarms = json(r).path("alarms");
        assertTrue(alarms.size() > 0, r.body());
        Set<String> names = new java.util.HashSet<>();
        for (JsonNode a : alarms) {
            for (String field : List.of("time", "server", "name", "detail")) {
                assertTrue(a.has(field), field + " missing from " + a);
            }
            names.add(a.path("name").asText());
        }
        assertTrue(names.contains("StatusChangeCompleted"), names.toString());
        assertEquals(1, json(node.get("/api/alarms?limit=1")).path("alarms").size());
    }

    @Test
    void unknownPathServerOrAction_is404() throws Exception {
        node();
        assertStatus(404, node.get("/api/nothing"));
        assertStatus(404, node.get("/nothing")); // "/" is the web console now (issue 15)
        HttpResponse<String> unknownServer = node.post("/api/servers/tertiary/deactivate");
        assertStatus(404, unknownServer);
        assertTrue(json(unknownServer).path("error").asText().contains("tertiary"));
        assertStatus(404, node.post("/api/servers/subscriber/reboot"));
        assertStatus(404, node.post("/api/servers/subscriber"));
        assertStatus(404, node.get("/api/servers/subscriber/deactivate/later"));
    }

    @Test
    void wrongMethod_is405WithAllow() {
        node();
        HttpResponse<String> postQuery = node.post("/api/cluster");
        assertStatus(405, postQuery);
        assertEquals("GET", postQuery.headers().firstValue("allow").orElse(null));
        HttpResponse<String> getAction = node.get("/api/servers/subscriber/deactivate");
        assertStatus(405, getAction);
        assertEquals("POST", getAction.headers().firstValue("allow").orElse(null));
        assertStatus(405, node.send("DELETE", "/api/ports", AdminTestNode.TOKEN));
        assertStatus(405, node.send("POST", "/metrics", AdminTestNode.TOKEN));
    }

    @Test
    void st3_deactivatingThePrimary_is409WithAReason() throws Exception {
        node();
        HttpResponse<String> r = node.post("/api/servers/publisher/deactivate?force=true");
        assertStatus(409, r);
        String error = json(r).path("error").asText();
        assertTrue(error.contains("PRIMARY"), error);
        assertEquals("PRIMARY", server(json(node.get("/api/cluster")), "publisher").path("status").asText());
    }

    @Test
    void st4_pm3_deactivateWithCallsUp_is409SayingHowManyWouldDrop_andForceDropsThem() throws Exception {
        node().connectedCall("s1", ServerName.SUBSCRIBER, "1001", CallReason.DIRECT);
        node.connectedCall("s2", ServerName.SUBSCRIBER, "1002", CallReason.DIRECT);
        node.connectedCall("p1", ServerName.PUBLISHER, "1003", CallReason.DIRECT);
        node.drained();

        JsonNode preview = json(node.get("/api/servers/subscriber/deactivate/preview")).path("preview");
        assertEquals(2, preview.path("callsDropped").asInt(), preview.toString());
        assertTrue(preview.path("summary").asText().contains("drops 2 calls"), preview.toString());

        HttpResponse<String> warned = node.post("/api/servers/subscriber/deactivate");
        assertStatus(409, warned);
        JsonNode w = json(warned);
        assertTrue(w.path("error").asText().contains("2"), w.toString());
        assertEquals(2, w.path("callsAffected").asInt(), w.toString());
        assertEquals("SECONDARY", server(json(node.get("/api/cluster")), "subscriber").path("status").asText());

        HttpResponse<String> forced = node.post("/api/servers/subscriber/deactivate?force=true");
        assertStatus(200, forced);
        JsonNode done = json(forced);
        assertEquals("DEACTIVATED", done.path("result").path("status").asText(), done.toString());
        assertEquals(2, done.path("result").path("callsDropped").asInt(), done.toString());
        assertEquals("DEACTIVATED", server(done.path("cluster"), "subscriber").path("status").asText());
        AdminTestNode.await(() -> node.backend().monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER) == 0,
                () -> node.backend().monitorSnapshot().toString());
        assertEquals(1, node.backend().monitorSnapshot().callsInProgress(ServerName.PUBLISHER),
                "the other server's calls are never touched");
    }

    @Test
    void pm3_actions_answerWithTheResultAndTheNewView() throws Exception {
        node();
        HttpResponse<String> r = node.post("/api/servers/subscriber/stop-taking-calls");
        assertStatus(200, r);
        JsonNode body = json(r);
        assertEquals("stop-taking-calls", body.path("result").path("action").asText());
        assertFalse(server(body.path("cluster"), "subscriber").path("takingCalls").asBoolean(), body.toString());
        assertStatus(200, node.post("/api/servers/subscriber/take-calls"));
        assertStatus(200, node.post("/api/servers/subscriber/make-primary"));
        JsonNode cluster = json(node.get("/api/cluster"));
        assertEquals("PRIMARY", server(cluster, "subscriber").path("status").asText());
        assertEquals("SECONDARY", server(cluster, "publisher").path("status").asText());
        assertEquals("subscriber", cluster.path("primary").asText());
    }

    @Test
    void pm1_queriesAnswerWhileThePipelineIsStuck_andAnActionTimesOutWith503() throws Exception {
        node = AdminTestNode.start(PORTS_PER_SERVER, 500);
        node.closeReplyGate();
        node.offerIntoClosedGate("stuck");
        AdminTestNode.await(() -> node.pipeline().publishedSequence() > node.pipeline().completedSequence(),
                node.pipeline()::describe);
        for (int i = 0; i < 20; i++) {
            assertStatus(200, node.get("/api/ports"));
            assertStatus(200, node.get("/api/cluster"));
        }
        HttpResponse<String> r = node.post("/api/servers/subscriber/stop-taking-calls");
        assertStatus(503, r);
        assertTrue(json(r).path("error").asText().contains("did not answer"), r.body());
        node.openReplyGate();
        node.drained();
    }

    @Test
    void metrics_exposeTheNamedSeriesInPrometheusText() throws Exception {
        int port = node().connectedCall("m1", ServerName.PUBLISHER, "1001", CallReason.DIRECT);
        node.end(port, "m1");
        node.connectedCall("m2", ServerName.SUBSCRIBER, "1002", CallReason.DIRECT);
        assertStatus(200, node.post("/api/servers/subscriber/stop-taking-calls"));
        node.drained();
        HttpResponse<String> r = node.get("/metrics");
        assertStatus(200, r);
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String text = r.body();
        List<String> missing = new ArrayList<>();
        for (String series : List.of("vmport_calls_offered_total 2.0", "vmport_calls_answered_total 2.0",
                "vmport_calls_redirected_total", "vmport_calls_refused_total{cause=\"NO_PORT_FREE\"}",
                "vmport_calls_in_progress{server=\"subscriber\"} 1.0",
                "vmport_ports_idle{server=\"publisher\"} 4.0",
                "vmport_server_status{server=\"publisher\",status=\"PRIMARY\"} 1.0",
                "vmport_server_status{server=\"subscriber\",status=\"PRIMARY\"} 0.0",
                "vmport_server_draining{server=\"subscriber\"} 1.0",
                "vmport_server_taking_calls{server=\"subscriber\"} 0.0",
                "vmport_pipeline_backlog", "vmport_peer_heartbeat_age_seconds", "vmport_peer_connected 1.0")) {
            if (!text.contains(series)) {
                missing.add(series);
            }
        }
        assertTrue(missing.isEmpty(), "missing " + missing + " in\n" + text);
    }

    @Test
    void keepAlive_manyRequestsOnOneClient() {
        node();
        for (int i = 0; i < 50; i++) {
            assertStatus(200, node.get("/api/ports?server=publisher"));
        }
    }
}
