package io.vmport.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.node.Node;
import io.vmport.loadtest.sipp.SippRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PIMG/TIMG through SIPp playing the gateways (issue 8; SPEC PT-1, PT-3, CA-1, CA-6): both servers have the same 8
 * shared ports, the gateway names the port in the Request-URI user part (gateway-call.xml, one port a line from an
 * injection file) and follows a 302 to the port's home server. Checked in vmport's call records: which server
 * answered which port, and that no port was ever in two calls. Every SIPp run is bounded and killed by PID.
 */
class GatewaySippTest {
    private static final int PORTS = 8;

    @TempDir
    Path work;
    private SippCluster cluster;
    private ExecutorService background;

    @BeforeEach
    void start() throws Exception {
        SippCluster.requireSippOrSkip();
        cluster = SippCluster.start(Integration.PIMG, PORTS);
        background = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        if (background != null) {
            background.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The server that answers gateway port {@code k} while both take calls: odd the publisher, even the subscriber. */
    private static ServerName home(int k) {
        return k % 2 == 1 ? ServerName.PUBLISHER : ServerName.SUBSCRIBER;
    }

    private static String portName(int k) {
        return String.format("pimg-%03d", k);
    }

    /** An injection file naming gateway ports 1..PORTS, one per call in turn. */
    private Path gatewayPorts() throws Exception {
        StringBuilder sb = new StringBuilder("SEQUENTIAL\n");
        for (int k = 1; k <= PORTS; k++) {
            sb.append(k).append('\n');
        }
        Path file = work.resolve("gateway-ports.csv");
        Files.writeString(file, sb.toString());
        return file;
    }

    /** One call on each gateway port 1..PORTS, offered to {@code server} (the gateway balances). */
    private SippRun gatewayCalls(ServerName server, String name, int holdMs) throws Exception {
        return cluster.sipp(server, "gateway-call.xml").name(name).calls(PORTS).rate(20).limit(PORTS)
                .holdMs(holdMs).timeoutSeconds(30).extra("-inf", gatewayPorts().toString());
    }

    private List<CallRecordRow> records(int count) {
        cluster.awaitRecords(count, 15_000);
        return cluster.database.callRecords().newest(count);
    }

    private static List<CallRecordRow> answered(List<CallRecordRow> records) {
        return records.stream().filter(r -> r.outcome().equals("ANSWERED")).toList();
    }

    /**
     * PT-1, CA-1: a gateway offers one call on each of the 8 ports to the publisher, then to the subscriber. Every
     * call is answered, on the named port, by that port's home server: calls landing on the other server are
     * redirected (302 naming the same port) and the gateway follows. 16 answered records, 8 redirected ones.
     */
    @Test
    void pt1_ca1_gatewayCallsToEitherServer_answeredOnTheNamedPort_byItsHomeServer() throws Exception {
        for (ServerName landedOn : ServerName.values()) {
            SippRun.Result r = gatewayCalls(landedOn, "gateway-" + landedOn.configName(), 100).run(work);
            assertTrue(r.allSucceeded(), r.toString());
            assertEquals(PORTS, r.successful(), r.toString());
        }
        List<CallRecordRow> records = records(2 * PORTS + PORTS);
        List<CallRecordRow> answered = answered(records);
        assertEquals(2 * PORTS, answered.size(), records.toString());
        for (CallRecordRow a : answered) {
            int k = Integer.parseInt(a.called());
            assertEquals(portName(k), a.port(), a.toString());
            assertEquals(home(k), a.server(), a.toString());
        }
        List<CallRecordRow> redirected = records.stream().filter(r -> r.outcome().equals("REDIRECTED")).toList();
        assertEquals(PORTS, redirected.size(), records.toString());
        for (CallRecordRow r : redirected) {
            assertEquals(home(Integer.parseInt(r.called())).other(), r.server(), r.toString());
        }
        cluster.awaitAllIdle(10_000);
    }

    /**
     * PT-1: two gateways offer a call on each of the same 8 ports at once, one to each server (two SIPp processes
     * started together), holding answered calls 3 s. Exactly one call per port is answered; the other is refused
     * busy (486) by the port's home server, directly or after following the 302. In the call records: one
     * ANSWERED record per port, and no two answered calls on one port overlap in time.
     */
    @Test
    void pt1_twoInvitesForEachPortRacingToBothServers_exactlyOneAnsweredPerPort() throws Exception {
        Future<SippRun.Result> toPublisher = background.submit(() ->
                gatewayCalls(ServerName.PUBLISHER, "race-publisher", 3_000).run(work));
        Future<SippRun.Result> toSubscriber = background.submit(() ->
                gatewayCalls(ServerName.SUBSCRIBER, "race-subscriber", 3_000).run(work));
        for (Future<SippRun.Result> f : List.of(toPublisher, toSubscriber)) {
            SippRun.Result r = f.get(60, TimeUnit.SECONDS);
            assertTrue(r.allSucceeded(), "every branch (answered, busy, moved) ends the scenario: " + r);
        }
        cluster.awaitNoCalls(10_000);
        // per port: two offers, one answered; the other redirected then refused, or refused directly
        Poll.await("the records of every offer", 15_000, () -> {
            List<CallRecordRow> all = cluster.database.callRecords().newest(100);
            return all.stream().filter(r -> !r.outcome().equals("REDIRECTED")).count() == 2L * PORTS;
        }, () -> cluster.database.callRecords().newest(100).toString());
        List<CallRecordRow> records = cluster.database.callRecords().newest(100);
        Map<String, List<CallRecordRow>> byPort = answered(records).stream()
                .collect(Collectors.groupingBy(CallRecordRow::port));
        assertEquals(PORTS, byPort.size(), records.toString());
        for (int k = 1; k <= PORTS; k++) {
            List<CallRecordRow> onPort = byPort.get(portName(k));
            assertEquals(1, onPort.size(), "port " + k + ": " + records);
            assertEquals(home(k), onPort.get(0).server(), onPort.toString());
        }
        long refused = records.stream().filter(r -> r.outcome().equals("REFUSED")).count();
        assertEquals(PORTS, refused, "the losing offer of each port is refused busy: " + records);
        assertNoOverlap(answered(records));
    }

    private static void assertNoOverlap(List<CallRecordRow> answered) {
        Map<String, List<CallRecordRow>> byPort = answered.stream().collect(Collectors.groupingBy(CallRecordRow::port));
        for (List<CallRecordRow> calls : byPort.values()) {
            for (CallRecordRow a : calls) {
                for (CallRecordRow b : calls) {
                    if (a != b) {
                        boolean apart = a.endedAtMs() <= b.answeredAtMs() || b.endedAtMs() <= a.answeredAtMs();
                        assertTrue(apart, "two calls at once on one shared port: " + a + " and " + b);
                    }
                }
            }
        }
    }

    /** PT-1, CA-1: a gateway port outside the plan (0, N+1, not a number) is refused 403 by both servers. */
    @Test
    void pt1_aGatewayPortOutsideThePlan_refused403ByBothServers() throws Exception {
        int offers = 0;
        for (ServerName server : ServerName.values()) {
            for (String port : List.of("0", Integer.toString(PORTS + 1), "nine")) {
                SippRun.Result r = cluster.sipp(server, "refused-403.xml").name("unknown-" + port + "-"
                        + server.configName()).service(port).calls(1).run(work);
                assertTrue(r.allSucceeded(), r.toString());
                offers++;
            }
        }
        List<CallRecordRow> records = records(offers);
        for (CallRecordRow r : records) {
            assertEquals("REFUSED", r.outcome(), r.toString());
            assertEquals(null, r.port(), r.toString());
        }
        cluster.awaitAllIdle(5_000);
    }

    /**
     * PT-3: the subscriber is deactivated: the publisher answers every port itself, no redirect. Activated again,
     * the subscriber takes its share back: a call for an even port landing on the publisher is redirected again.
     */
    @Test
    void pt3_subscriberDeactivated_thePublisherAnswersEveryPort_andRedirectsAgainWhenItIsBack() throws Exception {
        ActionResult r = cluster.publisher.perform(AdminAction.DEACTIVATE, ServerName.SUBSCRIBER, false)
                .get(10, TimeUnit.SECONDS);
        assertTrue(r.ok(), r.toString());
        awaitStatus(cluster.publisher, ServerName.SUBSCRIBER, ServerStatus.DEACTIVATED);
        awaitStatus(cluster.subscriber, ServerName.SUBSCRIBER, ServerStatus.DEACTIVATED);

        SippRun.Result calls = gatewayCalls(ServerName.PUBLISHER, "alone", 100).run(work);
        assertTrue(calls.allSucceeded(), calls.toString());
        List<CallRecordRow> records = records(PORTS);
        for (CallRecordRow a : records) {
            assertEquals("ANSWERED", a.outcome(), a.toString());
            assertEquals(ServerName.PUBLISHER, a.server(), a.toString());
            assertEquals(portName(Integer.parseInt(a.called())), a.port(), a.toString());
        }

        r = cluster.publisher.perform(AdminAction.ACTIVATE, ServerName.SUBSCRIBER, false).get(10, TimeUnit.SECONDS);
        assertTrue(r.ok(), r.toString());
        awaitStatus(cluster.publisher, ServerName.SUBSCRIBER, ServerStatus.SECONDARY);
        awaitStatus(cluster.subscriber, ServerName.SUBSCRIBER, ServerStatus.SECONDARY);
        SippRun.Result moved = cluster.sipp(ServerName.PUBLISHER, "redirect-302.xml").name("moved-again").service("2")
                .calls(1).run(work);
        assertTrue(moved.allSucceeded(), moved.toString());
    }

    /**
     * PT-3, ST-8: the publisher stops (its node closes): the subscriber takes over as PRIMARY and answers every
     * port, the publisher's home ports included.
     */
    @Test
    void pt3_publisherStopped_theSubscriberAnswersEveryPort() throws Exception {
        cluster.publisher.close();
        awaitStatus(cluster.subscriber, ServerName.PUBLISHER, ServerStatus.NOT_FUNCTIONING);
        awaitStatus(cluster.subscriber, ServerName.SUBSCRIBER, ServerStatus.PRIMARY);

        SippRun.Result calls = gatewayCalls(ServerName.SUBSCRIBER, "survivor", 100).run(work);
        assertTrue(calls.allSucceeded(), calls.toString());
        assertEquals(PORTS, calls.successful(), calls.toString());
        List<CallRecordRow> records = records(PORTS);
        for (CallRecordRow a : records) {
            assertEquals("ANSWERED", a.outcome(), a.toString());
            assertEquals(ServerName.SUBSCRIBER, a.server(), a.toString());
            assertEquals(portName(Integer.parseInt(a.called())), a.port(), a.toString());
        }
    }

    /**
     * PT-1, PT-3 on the way back: while the subscriber takes no calls, the publisher answers gateway port 2 (the
     * subscriber's home port) and holds the call. The subscriber takes calls again: a new call for port 2 is refused
     * busy (486) on both servers, on the publisher because the call is its own, on the subscriber because the
     * publisher's heartbeats say so, until the held call ends; then the subscriber answers port 2 again.
     */
    @Test
    void pt3_aCallHeldWhileTheHomeServerTookNoCalls_staysTheOnlyCallOnItsPort_whenTheHomeServerIsBack()
            throws Exception {
        setTakingCalls(ServerName.SUBSCRIBER, false);
        Future<SippRun.Result> held = background.submit(() -> cluster.sipp(ServerName.PUBLISHER, "basic-call.xml")
                .name("held-on-2").service("2").calls(1).holdMs(5_000).timeoutSeconds(30).run(work));
        Poll.await("the publisher holds gateway port 2", 10_000,
                () -> cluster.publisher.monitorSnapshot().callsInProgress(ServerName.PUBLISHER) == 1,
                () -> cluster.publisher.monitorSnapshot().toString());
        setTakingCalls(ServerName.SUBSCRIBER, true);
        awaitPeerCalls(cluster.subscriber, 1);

        for (ServerName server : ServerName.values()) {
            SippRun.Result busy = cluster.sipp(server, "busy-486.xml").name("busy-2-" + server.configName())
                    .service("2").calls(1).run(work);
            assertTrue(busy.allSucceeded(), server.configName() + " must refuse port 2 busy: " + busy);
        }
        assertTrue(held.get(30, TimeUnit.SECONDS).allSucceeded());
        awaitPeerCalls(cluster.subscriber, 0);
        SippRun.Result again = cluster.sipp(ServerName.SUBSCRIBER, "basic-call.xml").name("again-2").service("2")
                .calls(1).holdMs(100).run(work);
        assertTrue(again.allSucceeded(), again.toString());

        List<CallRecordRow> answered = answered(records(4));
        assertEquals(List.of(ServerName.SUBSCRIBER, ServerName.PUBLISHER),
                answered.stream().map(CallRecordRow::server).toList(), answered.toString());
        assertNoOverlap(answered);
    }

    private void setTakingCalls(ServerName server, boolean taking) throws Exception {
        ActionResult r = cluster.node(server).perform(taking ? AdminAction.TAKE_CALLS : AdminAction.STOP_TAKING_CALLS,
                server, false).get(10, TimeUnit.SECONDS);
        assertTrue(r.ok(), r.toString());
        for (Node node : List.of(cluster.publisher, cluster.subscriber)) {
            Poll.await(node.self().configName() + " sees " + server.configName() + " taking calls: " + taking, 10_000,
                    () -> node.clusterView().server(server).takingCalls() == taking,
                    () -> node.clusterView().toString());
        }
    }

    /** The node has heard from its peer's heartbeat (and with it the port-state deltas) that it has {@code calls}. */
    private static void awaitPeerCalls(Node node, int calls) {
        Poll.await(node.self().configName() + " hears of " + calls + " call(s) on its peer", 10_000,
                () -> node.clusterView().peerCallsInProgress() == calls, () -> node.clusterView().toString());
    }

    private void awaitStatus(Node node, ServerName server, ServerStatus status) {
        Poll.await(node.self().configName() + " sees " + server.configName() + " " + status, 20_000,
                () -> node.clusterView().status(server) == status, () -> node.clusterView().toString());
    }
}
