package io.vmport.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.loadtest.sipp.SippRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Other SIP integrations through SIPp playing the phone system's hunt group (issue 8; SPEC section 3 table, PT-1,
 * CA-1, CA-2): N = 8, so 4 ports on each server; calls spread equally are answered where they land; a full server
 * redirects to the other while that one takes calls, and answers 486 when it does not.
 */
class OtherSipSippTest {
    private static final int PORTS = 8;
    private static final int PER_SERVER = PORTS / 2;

    @TempDir
    Path work;
    private SippCluster cluster;
    private ExecutorService background;

    @BeforeEach
    void start() throws Exception {
        SippCluster.requireSippOrSkip();
        cluster = SippCluster.start(Integration.OTHER_SIP, PORTS);
        background = Executors.newFixedThreadPool(1);
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

    /**
     * PT-1, CA-2, CA-6: each server has N/2 = 4 ports; 20 calls, the hunt group sending them to both servers in
     * turn: all answered, 10 by each server, on its own ports.
     */
    @Test
    void pt1_ca2_halfThePortsOnEachServer_callsSpreadEqually_allAnsweredWhereTheyLand() throws Exception {
        for (ServerName s : ServerName.values()) {
            assertEquals(PER_SERVER, cluster.publisher.portPlan().count(s), cluster.publisher.portPlan().toString());
        }
        int calls = 20;
        Path servers = work.resolve("servers.csv");
        Files.writeString(servers, "SEQUENTIAL\n" + SippCluster.HOST + ";" + cluster.publisherSip + "\n"
                + SippCluster.HOST + ";" + cluster.subscriberSip + "\n");
        SippRun.Result r = cluster.sipp(ServerName.PUBLISHER, "alternate-servers.xml").calls(calls).rate(20)
                .limit(4).holdMs(50).extra("-inf", servers.toString()).run(work);
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(calls, r.successful(), r.toString());
        cluster.awaitRecords(calls, 15_000);
        List<CallRecordRow> records = cluster.database.callRecords().newest(calls);
        for (ServerName server : ServerName.values()) {
            List<CallRecordRow> mine = records.stream().filter(x -> x.server() == server).toList();
            assertEquals(calls / 2, mine.size(), server.configName() + ": " + records);
            String prefix = (server == ServerName.PUBLISHER ? "pub" : "sub") + "-osip-";
            for (CallRecordRow x : mine) {
                assertEquals("ANSWERED", x.outcome(), x.toString());
                assertTrue(x.port().startsWith(prefix), x.toString());
            }
        }
        cluster.awaitAllIdle(10_000);
    }

    /**
     * CA-1, CA-2: the publisher's 4 ports are held: the next call to it is redirected (302) to the subscriber,
     * which takes calls. The subscriber stops taking calls (CA-4): the next call to the full publisher is refused
     * busy (486), since no server can take it.
     */
    @Test
    void ca1_ca2_fullServer_redirects302WhileTheOtherTakesCalls_else486() throws Exception {
        Future<SippRun.Result> holding = background.submit(() -> cluster.sipp(ServerName.PUBLISHER, "basic-call.xml")
                .name("held").calls(PER_SERVER).rate(20).holdMs(4_000).timeoutSeconds(30).run(work));
        Poll.await(PER_SERVER + " calls up on the publisher", 15_000,
                () -> cluster.publisher.monitorSnapshot().callsInProgress(ServerName.PUBLISHER) == PER_SERVER,
                () -> cluster.publisher.monitorSnapshot().toString());

        SippRun.Result moved = cluster.sipp(ServerName.PUBLISHER, "redirect-302.xml").service("5000").calls(1)
                .run(work);
        assertTrue(moved.allSucceeded(), moved.toString());

        ActionResult stopped = cluster.subscriber.perform(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER, false)
                .get(10, TimeUnit.SECONDS);
        assertTrue(stopped.ok(), stopped.toString());
        Poll.await("the publisher sees the subscriber not taking calls", 10_000,
                () -> !cluster.publisher.clusterView().server(ServerName.SUBSCRIBER).takingCalls(),
                () -> cluster.publisher.clusterView().toString());
        SippRun.Result busy = cluster.sipp(ServerName.PUBLISHER, "busy-486.xml").service("5000").calls(1).run(work);
        assertTrue(busy.allSucceeded(), busy.toString());

        SippRun.Result held = holding.get(30, TimeUnit.SECONDS);
        assertTrue(held.allSucceeded(), held.toString());
        cluster.awaitRecords(PER_SERVER + 2, 15_000);
        List<CallRecordRow> records = cluster.database.callRecords().newest(PER_SERVER + 2);
        assertEquals(1, records.stream().filter(x -> x.outcome().equals("REDIRECTED")).count(), records.toString());
        assertEquals(1, records.stream().filter(x -> x.outcome().equals("REFUSED")).count(), records.toString());
        assertEquals(PER_SERVER, records.stream().filter(x -> x.outcome().equals("ANSWERED")
                && x.server() == ServerName.PUBLISHER).count(), records.toString());
    }
}
