package io.vmport.loadtest;

import io.vmport.config.testing.Poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.config.db.CallRecordRow;
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
 * The demo cluster (SIP trunk, 16 ports, 8 per server) driven by SIPp as the PBX, per issue 5: SPEC CA-2 (the SIP
 * trunk's answers), CA-4 (Stop Taking Calls) and CA-6 (a call record for every call). Skipped without sipp; failed
 * without it under CI=true. Every SIPp run is bounded in calls and time and killed by PID afterwards.
 */
class TrunkSippTest {
    private static final int PORTS = 16;

    @TempDir
    Path work;
    private SippCluster cluster;
    private ExecutorService background;

    @BeforeEach
    void start() throws Exception {
        SippCluster.requireSippOrSkip();
        cluster = SippCluster.start(PORTS);
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

    /**
     * CA-2, CA-6: 2,000 calls, 1,000 to each server at 50 calls/s each (100/s in all), 50 ms hold, both SIPp runs
     * at once: SIPp reports 0 failed calls; afterwards every port is IDLE and there are 2,000 call records, each
     * ANSWERED by the server it was sent to.
     */
    @Test
    void ca2_ca6_twoThousandCallsOverBothServersAt100PerSecond_noneFail_portsEndIdle_2000Records() throws Exception {
        int perServer = 1_000;
        // -l 6: the PBX's trunk to each server has at most 6 calls up at once, fewer than the server's 8 ports, so a
        // call is never redirected for want of a port while the previous call's port is being released (at 50/s and
        // 50 ms hold about 3 are up; a slow first second of a cold JVM once left all 8 busy and got a 302).
        Future<SippRun.Result> toPublisher = background.submit(() -> cluster.sipp(ServerName.PUBLISHER,
                "basic-call.xml").calls(perServer).rate(50).limit(6).holdMs(50).timeoutSeconds(60).run(work));
        Future<SippRun.Result> toSubscriber = background.submit(() -> cluster.sipp(ServerName.SUBSCRIBER,
                "basic-call.xml").calls(perServer).rate(50).limit(6).holdMs(50).timeoutSeconds(60).run(work));
        for (Future<SippRun.Result> f : List.of(toPublisher, toSubscriber)) {
            SippRun.Result r = f.get(90, TimeUnit.SECONDS);
            assertEquals(SippRun.ALL_CALLS_SUCCEEDED, r.exitCode(), r.toString());
            assertEquals(0, r.failed(), r.toString());
            assertEquals(perServer, r.successful(), r.toString());
            // 1,000 calls at 50/s take 20 s; the channel limit must not have slowed the offered rate much
            assertTrue(r.wallSeconds() < 26, "1,000 calls took " + r.wallSeconds() + " s, not about 20: " + r);
        }
        cluster.awaitAllIdle(10_000);
        cluster.awaitRecords(2 * perServer, 20_000);
        List<CallRecordRow> records = cluster.database.callRecords().newest(2 * perServer);
        assertEquals(2 * perServer, records.size());
        for (ServerName server : ServerName.values()) {
            List<CallRecordRow> mine = records.stream().filter(r -> r.server() == server).toList();
            assertEquals(perServer, mine.size(), server.configName());
            for (CallRecordRow r : mine) {
                assertEquals("ANSWERED", r.outcome(), r.toString());
                assertTrue(r.answeredAtMs() != null && r.endedAtMs() != null && r.answeredAtMs() <= r.endedAtMs(),
                        r.toString());
            }
        }
    }

    /**
     * CA-4: Stop Taking Calls on the subscriber while SIPp holds 4 calls on it (3 s hold): those calls complete
     * normally, the next INVITEs to it get 503 with Retry-After, an OPTIONS probe gets 503, and no call offered to
     * it after the command was answered there. The publisher goes on answering.
     */
    @Test
    void ca4_stopTakingCallsWhileCallsAreHeld_heldCallsComplete_nextInvitesGet503_noneAnsweredAfter() throws Exception {
        int held = 4;
        Future<SippRun.Result> holding = background.submit(() -> cluster.sipp(ServerName.SUBSCRIBER,
                "basic-call.xml").name("held").calls(held).rate(20).holdMs(3_000).run(work));
        Poll.await(held + " calls up on the subscriber", 15_000,
                () -> cluster.subscriber.monitorSnapshot().callsInProgress(ServerName.SUBSCRIBER) == held,
                () -> cluster.subscriber.monitorSnapshot().toString());

        ActionResult stopped = cluster.subscriber.perform(AdminAction.STOP_TAKING_CALLS, ServerName.SUBSCRIBER, false)
                .get(10, TimeUnit.SECONDS);
        assertTrue(stopped.ok(), stopped.toString());
        long afterMs = System.currentTimeMillis();

        SippRun.Result refused = cluster.sipp(ServerName.SUBSCRIBER, "refused-503.xml").service("unavailable")
                .calls(5).rate(20).run(work);
        assertEquals(SippRun.ALL_CALLS_SUCCEEDED, refused.exitCode(), refused.toString());
        assertEquals(5, refused.successful(), refused.toString());
        SippRun.Result probe = cluster.sipp(ServerName.SUBSCRIBER, "options-not-taking-calls.xml").calls(1).run(work);
        assertTrue(probe.allSucceeded(), probe.toString());

        SippRun.Result heldResult = holding.get(30, TimeUnit.SECONDS);
        assertTrue(heldResult.allSucceeded(), heldResult.toString());
        assertEquals(held, heldResult.successful(), heldResult.toString());

        SippRun.Result toPublisher = cluster.sipp(ServerName.PUBLISHER, "basic-call.xml").calls(5).rate(20)
                .holdMs(50).run(work);
        assertTrue(toPublisher.allSucceeded(), toPublisher.toString());

        int total = held + 5 + 5;
        cluster.awaitRecords(total, 15_000);
        cluster.awaitNoCalls(10_000); // the subscriber's ports are OUT_OF_SERVICE now, not IDLE
        List<CallRecordRow> onSubscriber = cluster.database.callRecords().newest(100).stream()
                .filter(r -> r.server() == ServerName.SUBSCRIBER).toList();
        assertEquals(held, onSubscriber.stream().filter(r -> r.outcome().equals("ANSWERED")).count(),
                onSubscriber.toString());
        for (CallRecordRow r : onSubscriber) {
            if (r.offeredAtMs() >= afterMs) {
                assertEquals("REFUSED", r.outcome(), "offered after Stop Taking Calls: " + r);
            } else {
                assertEquals("ANSWERED", r.outcome(), r.toString());
                assertTrue(r.endedAtMs() > afterMs, "held call ended after the stop: " + r);
            }
        }
    }

    /**
     * CA-2, CA-6: one PBX using its trunks to both servers alternately (alternate-servers.xml, setdest from an
     * injection file): every call is answered by the server it was sent to, half on each.
     */
    @Test
    void ca2_ca6_callsToBothServersAlternately_eachAnsweredWhereSent() throws Exception {
        int calls = 20;
        Path servers = work.resolve("servers.csv");
        Files.writeString(servers, "SEQUENTIAL\n" + SippCluster.HOST + ";" + cluster.publisherSip + "\n"
                + SippCluster.HOST + ";" + cluster.subscriberSip + "\n");
        SippRun.Result r = cluster.sipp(ServerName.PUBLISHER, "alternate-servers.xml").calls(calls).rate(20)
                .limit(4).holdMs(50).extra("-inf", servers.toString()).run(work);
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(calls, r.successful(), r.toString());
        cluster.awaitRecords(calls, 15_000);
        cluster.awaitAllIdle(10_000);
        List<CallRecordRow> records = cluster.database.callRecords().newest(calls);
        for (ServerName server : ServerName.values()) {
            assertEquals(calls / 2, records.stream().filter(x -> x.server() == server
                    && x.outcome().equals("ANSWERED")).count(), server.configName() + ": " + records);
        }
    }

    /** CA-2: an OPTIONS probe gets 200 (Allow: INVITE ...) from each server while it takes calls. */
    @Test
    void ca2_optionsProbe_200FromBothServersWhileTakingCalls() throws Exception {
        for (ServerName server : ServerName.values()) {
            SippRun.Result r = cluster.sipp(server, "options-probe.xml").calls(3).rate(10).run(work);
            assertTrue(r.allSucceeded(), r.toString());
            assertEquals(3, r.successful(), r.toString());
        }
    }

    /**
     * CA-2, CA-6: a CANCEL sent right behind its INVITE. vmport answers within about a millisecond, so the CANCEL
     * races the answer; every call must end cleanly either way (487 + ACK, or 200 + ACK + BYE), leave one call
     * record, and leave every port IDLE. Calls that the CANCEL won have no answer time.
     */
    @Test
    void ca2_ca6_cancelBeforeAnswer_487_leavesARecordAndIdlePorts() throws Exception {
        int calls = 40;
        SippRun.Result r = cluster.sipp(ServerName.PUBLISHER, "cancel-before-answer.xml").calls(calls).rate(20)
                .run(work);
        assertTrue(r.allSucceeded(), r.toString());
        assertEquals(calls, r.successful(), r.toString());
        cluster.awaitRecords(calls, 15_000);
        cluster.awaitAllIdle(10_000);
        List<CallRecordRow> records = cluster.database.callRecords().newest(calls);
        long cancelled = records.stream().filter(x -> !x.outcome().equals("ANSWERED")).count();
        System.out.println("cancel-before-answer: " + cancelled + " of " + calls + " cancelled before the answer; "
                + records.stream().map(CallRecordRow::outcome).distinct().toList());
        // the CANCEL wins about a quarter of the races on this machine (10 to 27 of 40 to 100 seen): none in 40
        // would mean a CANCEL never gets its 487
        assertTrue(cancelled > 0, "no call of " + calls + " was cancelled before the answer: " + records);
        for (CallRecordRow x : records) {
            if (!x.outcome().equals("ANSWERED")) {
                assertEquals(null, x.answeredAtMs(), x.toString());
            }
        }
    }
}
