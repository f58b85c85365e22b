package io.vmport.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.node.DemoCluster;
import io.vmport.sip.Sipp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmport demo --integration pimg} and {@code --integration other-sip} (issue 8, DESIGN section 4): the demo
 * cluster the command starts (same {@link DemoCluster}, on free loopback ports instead of 5060/5062) answers SIPp
 * calls, and its summary says how the ports are laid out (PT-1).
 */
class DemoIntegrationsTest {
    private static final String TOKEN = "demo-t0ken";

    @TempDir
    Path work;

    private static DemoCluster.Layout freeLayout() throws java.io.IOException {
        return new DemoCluster.Layout(LoopbackPorts.freeUdpAndTcp(), LoopbackPorts.freeUdpAndTcp(),
                LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp());
    }

    private static void awaitSettled(DemoCluster demo) {
        Poll.await("ST-1 on both nodes", 20_000, () -> demo.publisher().clusterView().peerConnected()
                && demo.subscriber().clusterView().peerConnected()
                && demo.subscriber().clusterView().status(ServerName.SUBSCRIBER) == ServerStatus.SECONDARY
                && demo.publisher().clusterView().status(ServerName.PUBLISHER) == ServerStatus.PRIMARY,
                () -> demo.publisher().describe() + " | " + demo.subscriber().describe());
    }

    private Sipp.Result sipp(String scenario, int sipPort, String service, String dir) throws Exception {
        Path d = Files.createDirectories(work.resolve(dir));
        return Sipp.run(scenario, sipPort, "u1", service, 1, 100, d);
    }

    private static String summary(DemoCluster demo) {
        StringWriter text = new StringWriter();
        DemoCommand.printSummary(new PrintWriter(text, true), demo);
        return text.toString();
    }

    private static void awaitRecords(DemoCluster demo, int count) {
        Poll.await(count + " call records", 15_000, () -> demo.database().callRecords().count() == count,
                () -> demo.database().callRecords().newest(20).toString());
    }

    /**
     * PT-1, CA-1: the PIMG demo: 8 shared ports shown on both servers; gateway port 7 answers on the publisher,
     * port 8 on the subscriber, and port 8 offered to the publisher is redirected (302) there.
     */
    @Test
    void pt1_demoPimg_answersGatewayCallsOnBothServers_andRedirectsToThePortsHome() throws Exception {
        Sipp.requireOrSkip();
        DemoCluster.Layout layout = freeLayout();
        try (DemoCluster demo = DemoCluster.start(work.resolve("pimg-data"), Integration.PIMG, 8, TOKEN, layout)) {
            awaitSettled(demo);
            String text = summary(demo);
            assertTrue(text.startsWith("vmport demo: pimg, 8 ports"), text);
            assertTrue(text.contains("8*") && text.contains("odd ports answer on the publisher"), text);
            assertTrue(text.contains("-s 1"), text);
            assertTrue(text.contains("20000-24999") && text.contains("25000-29999"), "MD-1: each server's RTP: " + text);

            Sipp.Result toPublisher = sipp("basic-call.xml", layout.publisherSip(), "7", "p7");
            assertTrue(toPublisher.exitCode() == Sipp.ALL_CALLS_SUCCEEDED && toPublisher.successful() == 1,
                    toPublisher.toString());
            Sipp.Result toSubscriber = sipp("basic-call.xml", layout.subscriberSip(), "8", "s8");
            assertTrue(toSubscriber.exitCode() == Sipp.ALL_CALLS_SUCCEEDED && toSubscriber.successful() == 1,
                    toSubscriber.toString());
            Sipp.Result moved = sipp("redirect-302.xml", layout.publisherSip(), "8", "p8");
            assertTrue(moved.exitCode() == Sipp.ALL_CALLS_SUCCEEDED && moved.successful() == 1, moved.toString());

            awaitRecords(demo, 3);
            List<CallRecordRow> records = demo.database().callRecords().newest(3);
            assertEquals(1, records.stream().filter(r -> r.outcome().equals("ANSWERED")
                    && r.server() == ServerName.PUBLISHER && "pimg-007".equals(r.port())).count(), records.toString());
            assertEquals(1, records.stream().filter(r -> r.outcome().equals("ANSWERED")
                    && r.server() == ServerName.SUBSCRIBER && "pimg-008".equals(r.port())).count(), records.toString());
        }
    }

    /** PT-1, CA-2: the other-SIP demo: 4 of 8 ports on each server, and each server answers a SIPp call. */
    @Test
    void pt1_demoOtherSip_halfThePortsOnEachServer_bothAnswer() throws Exception {
        Sipp.requireOrSkip();
        DemoCluster.Layout layout = freeLayout();
        try (DemoCluster demo = DemoCluster.start(work.resolve("osip-data"), Integration.OTHER_SIP, 8, TOKEN,
                layout)) {
            awaitSettled(demo);
            String text = summary(demo);
            assertTrue(text.startsWith("vmport demo: other-sip, 8 ports"), text);
            for (String server : List.of("publisher", "subscriber")) {
                assertTrue(text.lines().anyMatch(l -> l.startsWith(server) && l.matches(".*\\s4\\s+yes$")), text);
            }
            for (ServerName server : ServerName.values()) {
                int port = server == ServerName.PUBLISHER ? layout.publisherSip() : layout.subscriberSip();
                Sipp.Result r = sipp("basic-call.xml", port, "5000", server.configName());
                assertTrue(r.exitCode() == Sipp.ALL_CALLS_SUCCEEDED && r.successful() == 1, r.toString());
            }
            awaitRecords(demo, 2);
            List<CallRecordRow> records = demo.database().callRecords().newest(2);
            for (ServerName server : ServerName.values()) {
                assertEquals(1, records.stream().filter(r -> r.server() == server && r.outcome().equals("ANSWERED")
                        && r.port().startsWith(server == ServerName.PUBLISHER ? "pub-osip-" : "sub-osip-")).count(),
                        records.toString());
            }
        }
    }
}
