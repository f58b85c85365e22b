package io.vmport.engine.node;

import io.vmport.config.testing.Poll;
import io.vmport.sip.Sipp;
import io.vmport.engine.ports.PortState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.db.CallRecordRow;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.pipeline.PortSnapshot;
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
 * A node pair driven by SIPp as the PBX (CA-2, CA-4, CA-6). Skipped without sipp, failed without it under CI=true.
 */
class NodeSippTest {
    private static final int PORTS_PER_SERVER = 8;
    private static final int CALLS = 50;

    @TempDir
    Path work;
    private NodePair pair;

    @BeforeEach
    void startPair() throws Exception {
        Sipp.requireOrSkip();
        pair = NodePair.start(PORTS_PER_SERVER);
    }

    @AfterEach
    void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void ca6_callsToBothServers_allSucceed_portsEndIdle_andEveryCallLeavesARecord() throws Exception {
        Sipp.Result toPublisher = Sipp.run("basic-call.xml", pair.publisherSip, "u1", "answer", CALLS, 200, work);
        Sipp.Result toSubscriber = Sipp.run("basic-call.xml", pair.subscriberSip, "u1", "answer", CALLS, 200, work);

        assertAllSucceeded(toPublisher);
        assertAllSucceeded(toSubscriber);
        for (Node node : List.of(pair.publisher, pair.subscriber)) {
            Poll.await("every port IDLE on " + node.self().configName(), 10_000, () -> {
                MonitorSnapshot s = node.monitorSnapshot();
                return s.count(PortState.IDLE) == s.portCount();
            }, () -> node.monitorSnapshot().toString());
        }
        Poll.await(2 * CALLS + " call records", 15_000,
                () -> pair.database.callRecords().count() == 2 * CALLS,
                () -> pair.database.callRecords().count() + " records");
        List<CallRecordRow> records = pair.database.callRecords().newest(2 * CALLS);
        for (ServerName server : ServerName.values()) {
            List<CallRecordRow> mine = records.stream().filter(r -> r.server() == server).toList();
            assertEquals(CALLS, mine.size(), server + ": " + mine);
            for (CallRecordRow r : mine) {
                assertEquals("ANSWERED", r.outcome(), r.toString());
                assertTrue(r.port() != null && r.answeredAtMs() != null && r.endedAtMs() != null
                        && r.offeredAtMs() <= r.answeredAtMs() && r.answeredAtMs() <= r.endedAtMs(), r.toString());
                assertEquals("1001", r.caller(), r.toString());
                assertEquals("2002", r.redirecting(), r.toString());
            }
        }
    }

    @Test
    void ca4_stopTakingCallsWhileCallsAreUp_theyComplete_nextInvitesGet503_noCallStartsAfter_serverDrained()
            throws Exception {
        int held = 4;
        Path heldDir = Files.createDirectories(work.resolve("held"));
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<Sipp.Result> holding = background.submit(() -> Sipp.run("basic-call.xml", pair.subscriberSip, "u1",
                    "answer", held, 3_000, heldDir));
            Poll.await(held + " calls up on the subscriber", 15_000,
                    () -> pair.subscriber.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER) == held,
                    () -> pair.subscriber.monitorSnapshot().toString());

            ActionResult stopped = pair.subscriber.perform(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER,
                    false).get(10, TimeUnit.SECONDS);
            assertTrue(stopped.ok(), stopped.toString());
            assertEquals(held, stopped.callsAffected(), stopped.toString());
            long afterMs = System.currentTimeMillis();

            Sipp.Result refused = Sipp.run("refused-503.xml", pair.subscriberSip, "u1", "unavailable", 3, 0, work);
            assertEquals(Sipp.ALL_CALLS_SUCCEEDED, refused.exitCode(), refused.toString());
            assertEquals(3, refused.successful(), refused.toString());
            assertAllSucceeded(holding.get(60, TimeUnit.SECONDS)); // the calls up when it stopped completed normally

            assertAllSucceeded(Sipp.run("basic-call.xml", pair.publisherSip, "u1", "answer", 5, 100, work));
            int total = held + 3 + 5;
            Poll.await(total + " calls recorded", 15_000, () -> pair.database.callRecords().count() == total,
                    () -> pair.database.callRecords().newest(20).toString());
            List<CallRecordRow> onSubscriber = pair.database.callRecords().newest(100).stream()
                    .filter(r -> r.server() == ServerName.SUBSCRIBER).toList();
            assertEquals(held, onSubscriber.stream().filter(r -> r.outcome().equals("ANSWERED")).count(),
                    onSubscriber.toString());
            for (CallRecordRow r : onSubscriber) {
                if (r.offeredAtMs() >= afterMs) {
                    assertEquals("REFUSED", r.outcome(), r.toString());
                    assertEquals("NOT_TAKING_CALLS", r.cause(), r.toString());
                } else {
                    assertEquals("ANSWERED", r.outcome(), r.toString());
                    assertTrue(r.endedAtMs() > afterMs, "ended after the stop: " + r);
                }
            }
            Poll.await("ServerDrained raised for the subscriber", 10_000,
                    () -> pair.database.alarms().newest(100).stream().anyMatch(a ->
                            a.name().equals("ServerDrained") && a.server() == ServerName.SUBSCRIBER),
                    () -> pair.database.alarms().newest(100).toString());
            assertEquals(false, pair.database.servers().find(ServerName.SUBSCRIBER).orElseThrow().takingCalls());
        } finally {
            background.shutdownNow();
        }
    }

    private static void assertAllSucceeded(Sipp.Result r) {
        assertEquals(Sipp.ALL_CALLS_SUCCEEDED, r.exitCode(), r.toString());
        assertEquals(0, r.failed(), r.toString());
        assertTrue(r.successful() > 0, r.toString());
    }
}
