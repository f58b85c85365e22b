package io.vmport.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ServerName;
import io.vmport.engine.admin.AdminTestNode;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.pipeline.ConversationChange;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command line's admin client (DESIGN.md section 4, SPEC PM-3, PM-4) through {@link VmportMain#execute}
 * against a running admin server over a real pipeline: tables, {@code --json}, exit statuses 0/1/2, and the
 * administrator's path of seeds file 001 chapter 2.
 */
class AdminCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminTestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** One run of the command line: its exit status and what it printed. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static Run vmport(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = VmportMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The command against the test node with its token. */
    private Run admin(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(node.url());
        all.add("--token");
        all.add(AdminTestNode.TOKEN);
        return vmport(all.toArray(new String[0]));
    }

    private Run ok(String... args) {
        Run r = admin(args);
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
        return r;
    }

    private JsonNode cluster() {
        return ok("cluster", "--json").json();
    }

    private static JsonNode server(JsonNode cluster, ServerName name) {
        for (JsonNode s : cluster.path("servers")) {
            if (s.path("name").asText().equals(name.configName())) {
                return s;
            }
        }
        throw new AssertionError("no " + name + " in " + cluster);
    }

    private void assertStatus(String publisher, String subscriber) {
        JsonNode c = cluster();
        assertEquals(publisher, server(c, ServerName.PUBLISHER).path("status").asText(), c.toString());
        assertEquals(subscriber, server(c, ServerName.SUBSCRIBER).path("status").asText(), c.toString());
    }

    @Test
    void pm2_cluster_printsATableWithBothServers() {
        node = AdminTestNode.start(2);
        Run r = ok("cluster");
        assertTrue(r.out().contains("SERVER"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("publisher") && l.contains("PRIMARY")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("subscriber") && l.contains("SECONDARY")), r.out());
        assertTrue(r.out().contains("autoFailover=true"), r.out());
    }

    @Test
    void pm4_json_isTheApiAnswerAndParses() {
        node = AdminTestNode.start(2);
        JsonNode c = cluster();
        assertEquals(2, c.path("servers").size());
        assertTrue(c.has("settings"));
        assertEquals(2, ok("ports", "--server", "publisher", "--json").json().path("ports").size());
        assertTrue(ok("alarms", "--json").json().has("alarms"));
        assertTrue(ok("calls", "--limit", "5", "--json").json().has("calls"));
    }

    @Test
    void pm1_ports_alarms_calls_printTables() {
        node = AdminTestNode.start(2);
        int port = node.connectedCall("cli-1", ServerName.SUBSCRIBER, "1001", CallReason.FORWARDED_NO_ANSWER);
        node.drained();
        Run ports = ok("ports", "--server", "subscriber");
        assertTrue(ports.out().contains("cli-1"), ports.out());
        assertTrue(ports.out().contains("forwarded no answer"), ports.out());
        assertFalse(ports.out().contains("pub-sip"), "only the subscriber's ports: " + ports.out());
        node.end(port, "cli-1");
        node.drained();
        Run calls = ok("calls", "--limit", "10");
        assertTrue(calls.out().contains("cli-1") && calls.out().contains("ANSWERED"), calls.out());
        Run alarms = ok("alarms");
        assertTrue(alarms.out().contains("TIME"), alarms.out());
    }

    /** MD-6: a busy port shows its conversation state and mailbox, in the table and in the JSON. */
    @Test
    void md6_portsShowTheConversationAndItsMailbox() {
        node = AdminTestNode.start(2);
        int port = node.connectedCall("cli-2", ServerName.PUBLISHER, "2002", CallReason.FORWARDED_NO_ANSWER);
        node.pipeline().producer().conversationChanged(port, "cli-2", new ConversationChange("RECORDING", "1001"));
        node.drained();

        Run ports = ok("ports", "--server", "publisher");
        assertTrue(ports.out().lines().anyMatch(l -> l.contains("CONVERSATION") && l.contains("MAILBOX")),
                ports.out());
        assertTrue(ports.out().lines().anyMatch(l -> l.contains("cli-2") && l.contains("RECORDING")
                && l.contains("1001")), ports.out());
        JsonNode shown = ok("ports", "--server", "publisher", "--json").json().path("ports").get(port);
        assertEquals("RECORDING", shown.path("conversation").asText(), shown.toString());
        assertEquals("1001", shown.path("mailbox").asText(), shown.toString());
    }

    @Test
    void unreachableNode_exits2AndNamesTheUrl() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + free;
        Run r = vmport("cluster", "--url", url, "--token", "x");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains(url), r.err());
        Run action = vmport("take-calls", "subscriber", "--url", url, "--token", "x");
        assertEquals(ExitCodes.USAGE, action.exit(), action.toString());
    }

    @Test
    void pm4_refusedOrMissingToken_exits2SayingSo() {
        node = AdminTestNode.start(2);
        Run wrong = vmport("cluster", "--url", node.url(), "--token", "guess");
        assertEquals(ExitCodes.USAGE, wrong.exit(), wrong.toString());
        assertTrue(wrong.err().contains("refused the token"), wrong.err());
        Run wrongAction = vmport("deactivate", "subscriber", "--force", "--url", node.url(), "--token", "guess");
        assertEquals(ExitCodes.USAGE, wrongAction.exit(), wrongAction.toString());
        assertStatus("PRIMARY", "SECONDARY");
    }

    @Test
    void badUsage_exits2() {
        node = AdminTestNode.start(2);
        assertEquals(ExitCodes.USAGE, admin("deactivate").exit(), "NAME is required");
        assertEquals(ExitCodes.USAGE, admin("deactivate", "tertiary").exit(), "no such server");
        assertEquals(ExitCodes.USAGE, admin("calls", "--limit", "0").exit(), "limit out of 1..1000");
        assertEquals(ExitCodes.USAGE, admin("calls", "--limit", "many").exit(), "limit not a number");
        assertEquals(ExitCodes.USAGE, admin("ports", "--server", "nobody").exit(), "no such server");
        assertEquals(ExitCodes.USAGE, vmport("cluster", "--url", "not a url").exit());
        Run help = vmport("deactivate", "--help");
        assertEquals(ExitCodes.OK, help.exit(), help.toString());
        assertTrue(help.out().contains("--force") && help.out().contains("--token"), help.out());
    }

    @Test
    void st3_deactivateThePrimary_exits1WithTheReason() {
        node = AdminTestNode.start(2);
        Run r = admin("deactivate", "publisher", "--force");
        assertEquals(ExitCodes.REFUSED, r.exit(), r.toString());
        assertTrue(r.err().contains("refused by the cluster") && r.err().contains("PRIMARY"), r.err());
        assertStatus("PRIMARY", "SECONDARY");
    }

    @Test
    void st4_pm3_deactivateWarnsHowManyCallsDrop_refusesWithoutForce_dropsWithForce() {
        node = AdminTestNode.start(4);
        node.connectedCall("d1", ServerName.SUBSCRIBER, "1001", CallReason.DIRECT);
        node.connectedCall("d2", ServerName.SUBSCRIBER, "1002", CallReason.DIRECT);
        node.connectedCall("d3", ServerName.SUBSCRIBER, "1003", CallReason.DIRECT);
        node.drained();

        Run warned = admin("deactivate", "subscriber");
        assertEquals(ExitCodes.REFUSED, warned.exit(), warned.toString());
        assertTrue(warned.out().contains("deactivate subscriber: drops 3 calls in progress (ST-4)"), warned.out());
        assertTrue(warned.err().contains("3"), warned.err());
        assertStatus("PRIMARY", "SECONDARY");

        Run forced = admin("deactivate", "subscriber", "--force");
        assertEquals(ExitCodes.OK, forced.exit(), forced.toString());
        assertTrue(forced.out().contains("drops 3 calls in progress"), forced.out());
        assertTrue(forced.out().contains("subscriber is now DEACTIVATED"), forced.out());
        assertStatus("PRIMARY", "DEACTIVATED");

        Run json = admin("activate", "subscriber", "--json");
        assertEquals(ExitCodes.OK, json.exit(), json.toString());
        assertEquals("SECONDARY", json.json().path("result").path("status").asText(), json.out());
        assertTrue(json.err().contains("activate subscriber"), "the preview goes to stderr with --json");
    }

    /**
     * Seeds file 001, chapter 2, "To Manually Change a Server from Secondary Status to Deactivated Status" and
     * the procedures after it, each step through the command line, checking the cluster view after each.
     */
    @Test
    void pm1_pm3_st4_st5_st6_administratorsPathOfSeeds001Chapter2() {
        node = AdminTestNode.start(4);
        int p1 = node.connectedCall("a1", ServerName.SUBSCRIBER, "1001", CallReason.DIRECT);
        int p2 = node.connectedCall("a2", ServerName.SUBSCRIBER, "1002", CallReason.FORWARDED_BUSY);
        node.connectedCall("a3", ServerName.PUBLISHER, "1003", CallReason.DIRECT);
        node.drained();

        // Steps 1-5: the port monitor shows the subscriber's ports handling calls.
        assertEquals(2, server(cluster(), ServerName.SUBSCRIBER).path("callsInProgress").asInt());

        // Step 8: Stop Taking Calls on the subscriber; its calls go on (CA-4).
        Run stop = ok("stop-taking-calls", "subscriber");
        assertTrue(stop.out().contains("stop-taking-calls subscriber: takes no new call; 2 calls in progress"),
                stop.out());
        JsonNode afterStop = server(cluster(), ServerName.SUBSCRIBER);
        assertFalse(afterStop.path("takingCalls").asBoolean(), afterStop.toString());
        assertEquals("SECONDARY", afterStop.path("status").asText());
        assertEquals(2, afterStop.path("callsInProgress").asInt());

        // ...then wait until the port monitor shows every port of the subscriber idle of calls.
        node.end(p1, "a1");
        node.end(p2, "a2");
        AdminTestNode.await(() -> noCallOn("subscriber"), () -> admin("ports", "--server", "subscriber").out());
        assertEquals(0, server(cluster(), ServerName.SUBSCRIBER).path("callsInProgress").asInt());

        // Step 9-10: Deactivate: no call is dropped now, so no --force is needed (ST-4).
        Run deactivate = ok("deactivate", "subscriber");
        assertTrue(deactivate.out().contains("drops 0 calls in progress"), deactivate.out());
        assertStatus("PRIMARY", "DEACTIVATED");

        // Activate: SECONDARY again, since the other server is PRIMARY (ST-6).
        ok("activate", "subscriber");
        assertStatus("PRIMARY", "SECONDARY");

        // Restart all ports on the server to take calls.
        ok("take-calls", "subscriber");
        assertTrue(server(cluster(), ServerName.SUBSCRIBER).path("takingCalls").asBoolean());

        // Make Primary: the subscriber becomes PRIMARY, the publisher SECONDARY; calls are untouched (ST-5).
        Run make = ok("make-primary", "subscriber");
        assertTrue(make.out().contains("not affected"), make.out());
        assertStatus("SECONDARY", "PRIMARY");
        assertEquals(1, server(cluster(), ServerName.PUBLISHER).path("callsInProgress").asInt(),
                "the publisher's call goes on (ST-5)");
    }

    private boolean noCallOn(String server) {
        for (JsonNode p : ok("ports", "--server", server, "--json").json().path("ports")) {
            if (!p.path("callId").isNull()) {
                return false;
            }
        }
        return true;
    }
}
