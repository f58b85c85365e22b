package io.vmport.engine.admin;

import static io.vmport.engine.admin.AdminTestNode.assertStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The web console's server side (issue 15) on a real admin server over a real pipeline, through real sockets: the
 * static page, the session sign-in and its cookie, the CSRF guard on changes, and the {@code /api/events} stream read
 * by {@link java.net.http.HttpClient} as a browser's EventSource would.
 */
class ConsoleServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORTS_PER_SERVER = 4;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<EventStreamReader> streams = new ArrayList<>();
    private AdminTestNode node;

    @AfterEach
    void stop() {
        streams.forEach(EventStreamReader::close);
        if (node != null) {
            node.close();
        }
    }

    private AdminTestNode node() {
        node = AdminTestNode.start(PORTS_PER_SERVER);
        return node;
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    /** Signs in with the token; returns the {@code Cookie} header value the browser would send afterwards. */
    private String signIn() {
        HttpResponse<String> r = send("POST", "/api/session", Map.of(), "{\"token\":\"" + AdminTestNode.TOKEN + "\"}");
        assertStatus(204, r);
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private EventStreamReader events(Map<String, String> headers) {
        EventStreamReader s = EventStreamReader.open(http, URI.create(node.url() + ConsoleEvents.PATH), headers);
        streams.add(s);
        return s;
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
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
    void console_pageLoadsWithoutAToken_withNoCacheAndASelfOnlyPolicy() {
        node();
        HttpResponse<String> page = send("GET", "/", Map.of(), null);
        assertStatus(200, page);
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), page.headers().toString());
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(""));
        String csp = page.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"),
                csp);
        assertTrue(page.body().contains("id=\"signin\"") && page.body().contains("/console/app.js"), page.body());
        HttpResponse<String> js = send("GET", "/console/app.js", Map.of(), null);
        assertStatus(200, js);
        assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().contains("new EventSource('/api/events')"));
        assertTrue(send("GET", "/console/app.css", Map.of(), null).headers().firstValue("content-type").orElse("")
                .startsWith("text/css"));
        assertStatus(404, send("GET", "/console/nothing.js", Map.of(), null));
        assertStatus(404, send("GET", "/console/..%2Flogback.xml", Map.of(), null));
        assertStatus(405, send("POST", "/", Map.of(), "x"));
    }

    @Test
    void signIn_wrongTokenIs401_rightTokenGivesAnHttpOnlyStrictSessionCookieForTheBrowserSession() {
        node();
        HttpResponse<String> wrong = send("POST", "/api/session", Map.of(), "{\"token\":\"nope\"}");
        assertStatus(401, wrong);
        assertTrue(json(wrong.body()).path("error").asText().contains("refused"), wrong.body());
        assertFalse(wrong.headers().firstValue("set-cookie").isPresent());
        assertStatus(400, send("POST", "/api/session", Map.of(), "token=" + AdminTestNode.TOKEN));

        HttpResponse<String> ok = send("POST", "/api/session", Map.of(), "{\"token\":\"" + AdminTestNode.TOKEN + "\"}");
        assertStatus(204, ok);
        String setCookie = ok.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(setCookie.matches("vmport_session=[0-9a-f]{32}\\.[0-9a-f]+\\.[0-9a-f]{32}; Path=/; HttpOnly;"
                + " SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertFalse(setCookie.contains(AdminTestNode.TOKEN), "the cookie must not carry the token: " + setCookie);

        assertStatus(200, send("GET", "/api/session", Map.of("Cookie", cookie), null));
        assertStatus(200, send("GET", "/api/cluster", Map.of("Cookie", cookie), null));
        assertStatus(401, send("GET", "/api/session", Map.of(), null));
        assertStatus(401, send("GET", "/api/cluster", Map.of("Cookie", "vmport_session=" + "0".repeat(32)), null));
        assertTrue(!signIn().equals(cookie), "every sign-in gets its own session");

        HttpResponse<String> out = send("DELETE", "/api/session", Map.of("Cookie", cookie, "X-Vmport-Console", "1"),
                null);
        assertStatus(204, out);
        assertTrue(out.headers().firstValue("set-cookie").orElse("").contains("Max-Age=0"), out.headers().toString());
        assertStatus(401, send("GET", "/api/cluster", Map.of("Cookie", cookie), null));
    }

    @Test
    void pm4_changeWithTheSessionCookieButNoConsoleHeader_is403AndChangesNothing() {
        node();
        String cookie = signIn();
        HttpResponse<String> forged = send("POST", "/api/servers/subscriber/stop-taking-calls",
                Map.of("Cookie", cookie), null);
        assertStatus(403, forged);
        assertTrue(json(forged.body()).path("error").asText().contains("X-Vmport-Console"), forged.body());
        assertStatus(403, send("DELETE", "/api/messages/m1", Map.of("Cookie", cookie), null));
        assertStatus(403, send("DELETE", "/api/session", Map.of("Cookie", cookie), null));
        JsonNode cluster = json(send("GET", "/api/cluster", Map.of("Cookie", cookie), null).body());
        assertTrue(server(cluster, "subscriber").path("takingCalls").asBoolean(), "the forged POST changed nothing");

        HttpResponse<String> real = send("POST", "/api/servers/subscriber/stop-taking-calls",
                Map.of("Cookie", cookie, "X-Vmport-Console", "1"), null);
        assertStatus(200, real);
        assertFalse(server(json(real.body()).path("cluster"), "subscriber").path("takingCalls").asBoolean(),
                real.body());
    }

    @Test
    void events_refusedWithoutTokenWithAWrongTokenOrAnUnknownSession() {
        node();
        assertStatus(401, send("GET", ConsoleEvents.PATH, Map.of(), null));
        assertStatus(401, send("GET", ConsoleEvents.PATH, Map.of("Authorization", "Bearer nope"), null));
        assertStatus(401, send("GET", ConsoleEvents.PATH, Map.of("Cookie", "vmport_session=abc"), null));
        assertStatus(405, send("POST", ConsoleEvents.PATH,
                Map.of("Authorization", "Bearer " + AdminTestNode.TOKEN), ""));
        assertStatus(400, send("GET", ConsoleEvents.PATH + "?x=1",
                Map.of("Authorization", "Bearer " + AdminTestNode.TOKEN), null));
    }

    @Test
    void pm1_events_startWithRetryClusterAndEveryPort_thenSendOnlyThePortsThatChange() {
        node();
        EventStreamReader stream = events(Map.of("Cookie", signIn()));
        assertEquals("text/event-stream", stream.contentType().split(";")[0]);
        assertEquals("no-cache", stream.header("cache-control"));
        assertEquals(2000, stream.retryMs());

        EventStreamReader.Event first = stream.next();
        assertEquals("cluster", first.name());
        JsonNode cluster = json(first.data());
        assertEquals(2, cluster.path("servers").size());
        assertEquals("PRIMARY", server(cluster, "publisher").path("status").asText());
        EventStreamReader.Event all = stream.next();
        assertEquals("ports", all.name());
        assertEquals(2 * PORTS_PER_SERVER, json(all.data()).path("ports").size(), "both servers' ports at first");

        int port = node.connectedCall("call-7", ServerName.SUBSCRIBER, "1001", CallReason.DIRECT);
        String portName = node.backend().portPlan().port(port).name();
        JsonNode inCall = null;
        JsonNode calls = null;
        while (inCall == null || calls == null) {
            EventStreamReader.Event e = stream.next();
            if (e.name().equals("ports")) {
                JsonNode ports = json(e.data()).path("ports");
                assertEquals(1, ports.size(), "only the changed port: " + e.data());
                assertEquals(portName, ports.get(0).path("name").asText());
                if (ports.get(0).path("state").asText().equals("IN_CALL")) {
                    inCall = ports.get(0);
                }
            } else if (e.name().equals("cluster")
                    && server(json(e.data()), "subscriber").path("callsInProgress").asInt() == 1) {
                calls = json(e.data());
            }
        }
        assertEquals("1001", inCall.path("caller").asText());
        assertEquals("subscriber", inCall.path("server").asText());
        assertEquals(1, server(calls, "subscriber").path("portsBusy").asInt());
    }

    @Test
    void events_oneSerializedEventReachesEveryStream_actionsAndAlarmsIncluded() {
        node();
        EventStreamReader byToken = events(Map.of("Authorization", "Bearer " + AdminTestNode.TOKEN));
        EventStreamReader bySession = events(Map.of("Cookie", signIn()));
        for (EventStreamReader s : List.of(byToken, bySession)) {
            assertEquals("cluster", s.next().name());
            assertEquals("ports", s.next().name());
        }
        assertStatus(200, node.post("/api/servers/subscriber/stop-taking-calls"));
        List<String> seen = new ArrayList<>();
        for (EventStreamReader s : List.of(byToken, bySession)) {
            String stopped = null;
            String drained = null;
            while (stopped == null || drained == null) {
                EventStreamReader.Event e = s.next();
                if (e.name().equals("cluster")
                        && !server(json(e.data()), "subscriber").path("takingCalls").asBoolean()) {
                    stopped = e.data();
                } else if (e.name().equals("alarm") && json(e.data()).path("name").asText().equals("ServerDrained")) {
                    drained = e.data();
                    JsonNode alarm = json(drained);
                    assertEquals("subscriber", alarm.path("server").asText(), drained);
                    assertTrue(alarm.path("time").asText().endsWith("Z"), drained);
                    assertNotNull(alarm.get("detail"), drained);
                }
            }
            seen.add(stopped);
            seen.add(drained);
        }
        assertArrayEquals(seen.subList(0, 2).toArray(), seen.subList(2, 4).toArray(),
                "every stream gets the same event");
    }

    @Test
    void events_signingOutEndsTheSessionsStream_aTokenStreamGoesOn() {
        node();
        String cookie = signIn();
        EventStreamReader bySession = events(Map.of("Cookie", cookie));
        EventStreamReader byToken = events(Map.of("Authorization", "Bearer " + AdminTestNode.TOKEN));
        bySession.next();
        byToken.next();
        assertStatus(204, send("DELETE", "/api/session", Map.of("Cookie", cookie, "X-Vmport-Console", "1"), null));
        bySession.awaitEnd();
        node.connectedCall("call-8", ServerName.PUBLISHER, "1002", CallReason.DIRECT);
        EventStreamReader.Event e;
        do {
            e = byToken.next();
        } while (!e.name().equals("ports") || !e.data().contains("call-8"));
        assertEquals("1002", json(e.data()).path("ports").get(0).path("caller").asText(), e.data());
    }
}
