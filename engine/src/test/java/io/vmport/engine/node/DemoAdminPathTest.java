package io.vmport.engine.node;

import io.vmport.config.testing.Poll;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.sip.Sipp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.cli.VmportMain;
import io.vmport.engine.ports.PortState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administrator's path of seeds file 001 chapter 2, through the command line against a running demo cluster
 * (embedded database, both nodes, real SIP from SIPp): stop taking calls while calls are up, wait for the port
 * monitor to show no call on that server, deactivate, activate, take calls, make primary (PM-1, PM-3, PM-4, CA-4,
 * ST-4, ST-5, ST-6). Every action is asked of the publisher's node, so those about the subscriber are forwarded;
 * right after each, both nodes' {@code vmport cluster} show its result (PM-2).
 */
class DemoAdminPathTest {
    private static final String TOKEN = "demo-t0ken";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private String publisherUrl;
    private String subscriberUrl;

    private record Run(int exit, String out, String err) {
    }

    private Run cli(String url, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = url;
        all[args.length + 2] = "--token";
        all[args.length + 3] = TOKEN;
        int exit = VmportMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run ok(String... args) {
        Run r = cli(publisherUrl, args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.out() + r.err());
        return r;
    }

    private JsonNode server(String url, ServerName name) throws Exception {
        Run r = cli(url, "cluster", "--json");
        assertEquals(0, r.exit(), r.err());
        for (JsonNode s : JSON.readTree(r.out()).path("servers")) {
            if (name.configName().equals(s.path("name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no " + name + " in " + r.out());
    }

    private boolean noCallOn(String url, String server) throws Exception {
        Run r = cli(url, "ports", "--server", server, "--json");
        for (JsonNode p : JSON.readTree(r.out()).path("ports")) {
            if (!p.path("callId").isNull()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void seeds001Chapter2_administratorsPath_throughTheCommandLine_againstARunningDemo() throws Exception {
        Sipp.requireOrSkip();
        DemoCluster.Layout layout = new DemoCluster.Layout(LoopbackPorts.freeUdpAndTcp(), LoopbackPorts.freeUdpAndTcp(),
                LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp());
        try (DemoCluster demo = DemoCluster.start(work.resolve("data"), Integration.SIP_TRUNK, 16, TOKEN, layout)) {
            publisherUrl = "http://127.0.0.1:" + layout.publisherAdmin();
            subscriberUrl = "http://127.0.0.1:" + layout.subscriberAdmin();
            Node sub = demo.subscriber();
            Poll.await("ST-1 on both nodes", 15_000, () -> demo.publisher().clusterView().peerConnected()
                    && sub.clusterView().peerConnected()
                    && "SECONDARY".equals(sub.clusterView().status(ServerName.SUBSCRIBER).name()), () -> demo.publisher().describe() + " | " + demo.subscriber().describe());

            // Calls up on the subscriber: three SIPp calls held for 4 s.
            CompletableFuture<Sipp.Result> calls = CompletableFuture.supplyAsync(() -> {
                try {
                    return Sipp.run("basic-call.xml", layout.subscriberSip(), "u1", "answer", 3, 4_000, work);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Poll.await("three calls in progress on the subscriber", 15_000,
                    () -> sub.monitorSnapshot().count(PortState.IN_CALL) == 3, () -> sub.monitorSnapshot().toString());

            // The publisher's node knows them from the subscriber's heartbeats (PM-2).
            Poll.await("the publisher's node sees the three calls", 10_000, () -> {
                try {
                    return server(publisherUrl, ServerName.SUBSCRIBER).path("callsInProgress").asInt() == 3;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, () -> cli(publisherUrl, "cluster").out());

            // Stop Taking Calls (CA-4): said first what it does to the calls in progress, then done; calls go on.
            Run stop = ok("stop-taking-calls", "subscriber");
            assertTrue(stop.out().contains("3 calls in progress"), stop.out());
            bothNodesSay(ServerName.SUBSCRIBER, "takingCalls", "false");
            assertEquals(3, server(subscriberUrl, ServerName.SUBSCRIBER).path("callsInProgress").asInt());

            // Wait for the port monitor to show no call on that server: the callers hang up (SIPp's BYE).
            Sipp.Result done = calls.get(60, TimeUnit.SECONDS);
            assertEquals(0, done.failed(), done.toString());
            Poll.await("the port monitor shows no call on the subscriber", 15_000,
                    () -> uncheckedNoCall(subscriberUrl), () -> cli(subscriberUrl, "ports").out());
            Poll.await("the publisher's node sees it too (next heartbeat)", 10_000, () -> {
                try {
                    return server(publisherUrl, ServerName.SUBSCRIBER).path("callsInProgress").asInt() == 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, () -> cli(publisherUrl, "cluster").out());

            // Deactivate (ST-4): nothing left to drop, so no --force is needed.
            Run deactivate = ok("deactivate", "subscriber");
            assertTrue(deactivate.out().contains("drops 0 calls"), deactivate.out());
            bothNodesSay(ServerName.SUBSCRIBER, "status", "DEACTIVATED");
            bothNodesSay(ServerName.SUBSCRIBER, "portsBusy", "0"); // PT-2: out of service, not busy

            // Activate (ST-6): SECONDARY, since the publisher is PRIMARY.
            ok("activate", "subscriber");
            bothNodesSay(ServerName.SUBSCRIBER, "status", "SECONDARY");

            // Take Calls (CA-4).
            ok("take-calls", "subscriber");
            bothNodesSay(ServerName.SUBSCRIBER, "takingCalls", "true");

            // Make Primary (ST-5): the subscriber PRIMARY, the publisher SECONDARY, on both nodes' views.
            ok("make-primary", "subscriber");
            bothNodesSay(ServerName.SUBSCRIBER, "status", "PRIMARY");
            bothNodesSay(ServerName.PUBLISHER, "status", "SECONDARY");

            // The alarms tell the story: ServerDrained, and every status change started and completed (AL-1).
            String alarms = cli(publisherUrl, "alarms").out();
            assertTrue(alarms.contains("ServerDrained") && alarms.contains("StatusChangeCompleted"), alarms);
        }
    }

    /**
     * Issue 16 item 4 (PM-2): right after an action's answer, with no wait, {@code vmport cluster} on either node
     * says what the answer said.
     */
    private void bothNodesSay(ServerName server, String field, String value) throws Exception {
        for (String url : new String[] {publisherUrl, subscriberUrl}) {
            JsonNode s = server(url, server);
            assertEquals(value, s.path(field).asText(), url + " says " + s);
        }
    }

    private boolean uncheckedNoCall(String url) {
        try {
            return noCallOn(url, "subscriber");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
