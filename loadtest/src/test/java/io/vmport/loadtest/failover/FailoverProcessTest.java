package io.vmport.loadtest.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.loadtest.SippCluster;
import io.vmport.loadtest.sipp.MwiPbx;
import io.vmport.loadtest.sipp.SippRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ST-8, ST-9, CA-5 with two real processes: {@code vmport node} twice from the engine's shaded jar, one shared
 * database (this JVM's test MariaDB), 100 ms heartbeats and a 500 ms timeout, SIPp holding calls on both.
 * {@code kill -9} the PRIMARY publisher: the subscriber becomes PRIMARY, its calls in progress are untouched and
 * new calls to it succeed; the time from the kill to the survivor answering {@code /api/cluster} as PRIMARY is
 * printed. The publisher is started again: after the (short) failback hold-down it is PRIMARY again, and no call
 * fails on either side meanwhile. Calls in progress per server are sampled every 50 ms into
 * {@code target/failover/failover-samples.csv} (events in {@code failover-events.csv}), drawn by
 * {@link FailoverChart} into {@code target/failover/failover.png}.
 *
 * <p>MWI (SPEC MW-1, MW-3) along the same run, SIPp as the PBX's MWI receiver ({@link MwiPbx}: checks every
 * NOTIFY's Event, Content-Type and body, answers 200) and {@value #MAILBOXES} mailboxes with messages in the
 * database: the PRIMARY sends every mailbox once at start; a message marked heard on the SECONDARY's API is sent by
 * the PRIMARY; the SECONDARY sends none while the PRIMARY lives; after the kill the survivor sends the current state
 * of every mailbox once; failback and Make Primary move the sending, each new PRIMARY sending every mailbox once.
 */
class FailoverProcessTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORTS = 64; // 32 per server: room for every call the test holds at once
    private static final long HOLD_DOWN_MS = 2_000;
    private static final long SAMPLE_EVERY_MS = 50;
    private static final int MAILBOXES = 12;
    private static final int FIRST_MAILBOX = 3001;

    private final List<NodeProcess> nodes = new ArrayList<>();
    private ExecutorService background;
    private MwiPbx pbx;
    private Database data;

    @AfterEach
    void stop() {
        if (background != null) {
            background.shutdownNow();
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (pbx != null) {
            pbx.close();
        }
        if (data != null) {
            data.close();
        }
    }

    @Test
    void st8_st9_ca5_mw1_mw3_killThePrimaryProcess_survivorTakesOverKeepingItsCallsAndMwi_thenFailback()
            throws Exception {
        Path jar = jarOrSkip();
        Path work = Path.of("target", "failover").toAbsolutePath();
        Files.createDirectories(work);
        DatabaseSettings db = TestDatabase.freshDatabase();
        data = Database.open(db);
        MailboxSeed.write(data, FIRST_MAILBOX, MAILBOXES);
        int mwiPort = LoopbackPorts.freeUdpAndTcp();
        pbx = MwiPbx.start(HOST, mwiPort, "SIP/2.0 200 OK", work, "mwi-pbx");
        int pubPeer = LoopbackPorts.freeTcp();
        int subPeer = LoopbackPorts.freeTcp();
        NodeProcess pub = node(jar, work, "publisher", db, pubPeer, subPeer, HOST + ":" + mwiPort);
        NodeProcess sub = node(jar, work, "subscriber", db, subPeer, pubPeer, HOST + ":" + mwiPort);
        pub.start(); // the publisher first, as an operator would: it creates the cluster and takes PRIMARY (CL-3)
        Poll.await("the publisher answers", 60_000, () -> pub.cluster() != null, pub::logTail);
        sub.start();
        Poll.await("ST-1: publisher PRIMARY, subscriber SECONDARY, on both nodes", 60_000,
                () -> NodeProcess.settled(pub.cluster()) && NodeProcess.settled(sub.cluster()),
                () -> pub.logTail() + "\n----\n" + sub.logTail());

        // MW-3 at start, then MW-1: a change made on the SECONDARY is sent by the PRIMARY
        Poll.await("MW-3: the PRIMARY sends every mailbox at start", 20_000,
                () -> pbx.received().size() >= MAILBOXES, () -> pbx.received() + "\n" + pbx.errors());
        MwiAssert.oncePerMailbox(pbx.received(), pub.sipAddress(), MailboxSeed.counts(data), "the PRIMARY at start");
        heardThrough(sub, Integer.toString(FIRST_MAILBOX), pub, "0/2", "the SECONDARY's API"); // was 1 new, 1 heard

        background = Executors.newFixedThreadPool(6);
        Sampler sampler = new Sampler(pub, sub);
        Future<?> sampling = background.submit(sampler);

        // calls held on both servers: on the survivor 32 calls at 4/s, 4 s each (about 16 up at once, before and
        // after the kill); on the victim 16 calls at 8/s, 6 s each, all up at the kill. SIPp would retransmit the
        // victim's requests until it came back, so that run is cut at 12 s.
        Future<SippRun.Result> onSurvivor = background.submit(() -> sipp(sub, "held-sub", 32, 4, 4_000, work));
        Future<SippRun.Result> onVictim = background.submit(() -> new SippRun(HOST, pub.sipPort)
                .scenario(scenario("basic-call.xml")).name("held-pub").service("answer").calls(16).rate(8)
                .holdMs(6_000).timeoutSeconds(12).run(work.resolve("sipp")));
        Poll.await("calls up on both servers", 20_000,
                () -> NodeProcess.calls(pub.cluster(), "publisher") >= 14
                        && NodeProcess.calls(sub.cluster(), "subscriber") >= 12,
                sampler::last);

        int survivorCallsAtKill = NodeProcess.calls(sub.cluster(), "subscriber");
        assertEquals(List.of(), pbx.from(sub.sipAddress()), "MW-1: the SECONDARY sent no MWI while the PRIMARY lived");
        Map<String, String> countsAtKill = MailboxSeed.counts(data);
        int beforeKill = pbx.received().size();
        long killNs = System.nanoTime();
        pub.kill9();
        sampler.event("kill -9 publisher", killNs);
        long primaryNs = 0;
        long deadline = killNs + TimeUnit.SECONDS.toNanos(10);
        while (primaryNs == 0) {
            if ("PRIMARY".equals(NodeProcess.status(sub.cluster(), "subscriber"))) {
                primaryNs = System.nanoTime();
            } else if (System.nanoTime() - deadline > 0) {
                fail("the subscriber did not become PRIMARY within 10 s of the kill:\n" + sub.logTail());
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
        sampler.event("subscriber PRIMARY", primaryNs);
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(primaryNs - killNs);
        System.out.printf("FAILOVER kill -9 of the PRIMARY -> survivor answers as PRIMARY: %d ms "
                + "(heartbeat 100 ms, timeout 500 ms; %d calls up on the survivor at the kill)%n", failoverMs,
                survivorCallsAtKill);
        assertTrue(failoverMs < 5_000, "failover took " + failoverMs + " ms");
        assertEquals("NOT_FUNCTIONING", NodeProcess.status(sub.cluster(), "publisher"));

        assertAllSucceeded("new calls to the survivor after the kill", sipp(sub, "new-after-kill", 5, 5, 200,
                work));
        Poll.await("MW-3: the new PRIMARY sends every mailbox", 10_000,
                () -> MwiAssert.since(pbx, beforeKill).size() >= MAILBOXES, () -> pbx.received().toString());

        // failback: calls held on the subscriber across it, then on the returned publisher
        Future<SippRun.Result> acrossFailback = background.submit(() -> sipp(sub, "across-failback-sub", 30, 5,
                2_000, work));
        long restartNs = System.nanoTime();
        pub.start();
        sampler.event("publisher restarted", restartNs);
        Poll.await("the restarted publisher answers", 60_000, () -> pub.cluster() != null, pub::logTail);
        Future<SippRun.Result> onReturned = background.submit(() -> sipp(pub, "across-failback-pub", 20, 5, 2_000,
                work));
        Poll.await("ST-9: failback after the hold-down, on both nodes", 60_000,
                () -> NodeProcess.settled(pub.cluster()) && NodeProcess.settled(sub.cluster()),
                () -> pub.logTail() + "\n----\n" + sub.logTail());
        long failbackNs = System.nanoTime();
        sampler.event("failback: publisher PRIMARY", failbackNs);

        System.out.printf("FAILBACK publisher restarted -> PRIMARY again: %d ms (hold-down %d ms)%n",
                TimeUnit.NANOSECONDS.toMillis(failbackNs - restartNs), HOLD_DOWN_MS);
        assertAllSucceeded("the survivor's calls in progress at the kill (CA-5: untouched)",
                onSurvivor.get(60, TimeUnit.SECONDS));
        assertAllSucceeded("subscriber calls across the failback", acrossFailback.get(90, TimeUnit.SECONDS));
        assertAllSucceeded("publisher calls across the failback", onReturned.get(90, TimeUnit.SECONDS));
        assertAllSucceeded("calls to the publisher after the failback", sipp(pub, "after-failback", 10, 10, 200,
                work));

        // MW-3 again on the failback; then Make Primary moves the sending (MW-1)
        Poll.await("MW-3: the publisher, PRIMARY again, sends every mailbox", 10_000,
                () -> sentBy(MwiAssert.since(pbx, beforeKill), pub).size() >= MAILBOXES, () -> pbx.received().toString());
        int beforeMake = pbx.received().size();
        List<MwiPbx.Notify> kept = pbx.received().subList(beforeKill, beforeMake);
        MwiAssert.oncePerMailbox(sentBy(kept, sub), sub.sipAddress(), countsAtKill,
                "MW-3 after kill -9: the survivor, once, until the failback");
        MwiAssert.oncePerMailbox(sentBy(kept, pub), pub.sipAddress(), countsAtKill,
                "MW-3 on the failback: the publisher, once");
        assertEquals(200, pub.post("/api/servers/subscriber/make-primary"), "Make Primary subscriber");
        Poll.await("MW-3: after Make Primary the subscriber sends every mailbox", 10_000,
                () -> MwiAssert.since(pbx, beforeMake).size() >= MAILBOXES, () -> pbx.received().toString());
        MwiAssert.oncePerMailbox(MwiAssert.since(pbx, beforeMake), sub.sipAddress(), countsAtKill,
                "MW-3 after Make Primary: the subscriber, once; the publisher stopped");
        heardThrough(pub, Integer.toString(FIRST_MAILBOX + 1), sub, "1/1", "the old PRIMARY's API"); // was 2/0
        MwiAssert.noneFailedItsChecks(pbx);
        System.out.println("FAILOVER MWI " + pbx.received().size() + " NOTIFYs, each mailbox once per PRIMARY term");

        SippRun.Result victim = onVictim.get(90, TimeUnit.SECONDS);
        System.out.println("FAILOVER calls on the killed publisher: " + victim.successful() + " completed, "
                + victim.failed() + " failed (its calls die with it)");
        sampler.stop();
        sampling.get(10, TimeUnit.SECONDS);
        Path samples = work.resolve("failover-samples.csv");
        Path events = work.resolve("failover-events.csv");
        sampler.write(samples, events);
        FailoverChart.draw(samples, events, work.resolve("failover.png"));
        System.out.println("FAILOVER samples " + samples + ", events " + events + ", picture "
                + work.resolve("failover.png"));
    }

    /**
     * MW-2 end to end: a PBX that refuses unsolicited NOTIFY (403, as CallManager does on a trunk without it) gets
     * the mailbox's state a bounded number of times (5 attempts, 1, 2, 4, 8 s apart: the node's defaults), then
     * the node raises MwiFailed with the extension, stored in the database, and counts it in /metrics.
     */
    @Test
    void mw2_aPbxThatRefusesGetsBoundedRetries_thenMwiFailedWithTheExtension() throws Exception {
        Path jar = jarOrSkip();
        Path work = Path.of("target", "failover-mwi-403").toAbsolutePath();
        Files.createDirectories(work);
        DatabaseSettings db = TestDatabase.freshDatabase();
        data = Database.open(db);
        MailboxSeed.write(data, FIRST_MAILBOX, 1); // one new message, one heard
        int mwiPort = LoopbackPorts.freeUdpAndTcp();
        pbx = MwiPbx.start(HOST, mwiPort, "SIP/2.0 403 Forbidden", work, "mwi-pbx-403");
        long startMs = System.currentTimeMillis();
        NodeProcess pub = node(jar, work, "publisher", db, LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(),
                HOST + ":" + mwiPort);
        pub.start();
        String extension = Integer.toString(FIRST_MAILBOX);
        Poll.await("MW-2: MwiFailed with the extension, after the retries", 60_000,
                () -> data.alarms().newest(100).stream().anyMatch(a -> a.name().equals("MwiFailed")),
                () -> pbx.received() + "\n" + pub.logTail());
        List<AlarmRow> failed = data.alarms().newest(100).stream().filter(a -> a.name().equals("MwiFailed")).toList();
        assertEquals(1, failed.size(), failed.toString());
        assertTrue(failed.get(0).detail().contains("extension " + extension), failed.toString());
        assertTrue(failed.get(0).raisedAtMs() >= startMs, failed.toString());
        List<MwiPbx.Notify> got = pbx.received();
        assertEquals(5, got.size(), "5 attempts, no more: " + got);
        String counts = MailboxSeed.counts(data).get(extension);
        assertTrue(got.stream().allMatch(n -> n.extension().equals(extension) && n.counts().equals(counts)
                && n.sender().equals(pub.sipAddress())), got.toString());
        long firstToLastMs = (got.get(4).atUs() - got.get(0).atUs()) / 1_000;
        assertTrue(firstToLastMs >= 15_000 - 500, "backoff 1 + 2 + 4 + 8 s between them, not " + firstToLastMs + " ms");
        String metrics = pub.get("/metrics");
        assertTrue(metrics.contains("vmport_mwi_notify_sent_total 5.0")
                && metrics.contains("vmport_mwi_notify_failed_total 1.0")
                && metrics.contains("vmport_mwi_notify_answered_total 0.0"), metrics);
        MwiAssert.noneFailedItsChecks(pbx);
        System.out.println("FAILOVER MWI 403: " + got.size() + " NOTIFYs over " + firstToLastMs
                + " ms, then MwiFailed: " + failed.get(0).detail());
    }

    /**
     * MW-1: the first new message of {@code extension} marked heard through {@code via}'s admin API; the PBX gets
     * exactly one NOTIFY, with the mailbox's new {@code counts}, from {@code primary}.
     */
    private void heardThrough(NodeProcess via, String extension, NodeProcess primary, String counts, String what) {
        int before = pbx.received().size();
        assertEquals(200, via.post("/api/messages/" + MailboxSeed.newMessageId(extension, 0) + "/heard"));
        Poll.await("MW-1: a message heard on " + what + " is sent by the PRIMARY, " + primary.name, 10_000,
                () -> !MwiAssert.since(pbx, before).isEmpty(), () -> pbx.received().toString());
        MwiAssert.oncePerMailbox(MwiAssert.since(pbx, before), primary.sipAddress(), Map.of(extension, counts),
                "the change made on " + what);
    }

    private static Path jarOrSkip() {
        SippCluster.requireSippOrSkip();
        return NodeProcess.shadedJar();
    }

    private static List<MwiPbx.Notify> sentBy(List<MwiPbx.Notify> notifies, NodeProcess node) {
        return notifies.stream().filter(n -> n.sender().equals(node.sipAddress())).toList();
    }

    private NodeProcess node(Path jar, Path work, String server, DatabaseSettings db, int peerListen,
                             int peerAddress, String mwiTarget) throws IOException {
        int sip = LoopbackPorts.freeUdpAndTcp();
        int admin = LoopbackPorts.freeTcp();
        NodeProcess n = new NodeFile(server, HOST, "127.0.0.0/8", sip, admin, HOST + ":" + peerListen,
                HOST + ":" + peerAddress, db.jdbcUrl(), db.user(), db.password(), PORTS, HOLD_DOWN_MS, HOST)
                .withMwiTarget(mwiTarget).process(jar, work);
        nodes.add(n);
        return n;
    }

    private static SippRun.Result sipp(NodeProcess node, String name, int calls, double rate, int holdMs, Path work)
            throws IOException, InterruptedException {
        return new SippRun(HOST, node.sipPort).scenario(scenario("basic-call.xml")).name(name).service("answer")
                .calls(calls).rate(rate).holdMs(holdMs).timeoutSeconds(60).run(work.resolve("sipp"));
    }

    private static Path scenario(String name) {
        try {
            return Path.of(FailoverProcessTest.class.getClassLoader().getResource("sipp/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("no test resource sipp/" + name, e);
        }
    }

    private static void assertAllSucceeded(String what, SippRun.Result r) {
        assertEquals(SippRun.ALL_CALLS_SUCCEEDED, r.exitCode(), what + ": " + r);
        assertEquals(0, r.failed(), what + ": " + r);
        assertTrue(r.successful() > 0, what + ": " + r);
    }

    /** Samples both nodes' own calls in progress and statuses every {@value #SAMPLE_EVERY_MS} ms. */
    private static final class Sampler implements Runnable {
        private final NodeProcess pub;
        private final NodeProcess sub;
        private final long startNs = System.nanoTime();
        private final List<String> rows = new ArrayList<>();
        private final List<String> events = new ArrayList<>();
        private volatile boolean running = true;

        Sampler(NodeProcess pub, NodeProcess sub) {
            this.pub = pub;
            this.sub = sub;
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            while (running) {
                JsonNode p = pub.cluster();
                JsonNode s = sub.cluster();
                String row = ms(System.nanoTime()) + "," + blank(NodeProcess.calls(p, "publisher")) + ","
                        + blank(NodeProcess.calls(s, "subscriber")) + "," + NodeProcess.status(p, "publisher") + ","
                        + NodeProcess.status(s, "subscriber");
                synchronized (this) {
                    rows.add(row);
                }
                next += TimeUnit.MILLISECONDS.toNanos(SAMPLE_EVERY_MS);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }

        synchronized void event(String what, long atNs) {
            events.add(ms(atNs) + "," + what);
        }

        synchronized String last() {
            return rows.isEmpty() ? "no sample yet" : FailoverChart.SAMPLES_HEADER + "\n" + rows.get(rows.size() - 1);
        }

        void stop() {
            running = false;
        }

        synchronized void write(Path samples, Path eventsFile) throws IOException {
            List<String> s = new ArrayList<>(List.of(FailoverChart.SAMPLES_HEADER));
            s.addAll(rows);
            Files.write(samples, s);
            List<String> e = new ArrayList<>(List.of(FailoverChart.EVENTS_HEADER));
            e.addAll(events);
            Files.write(eventsFile, e);
        }

        private long ms(long ns) {
            return TimeUnit.NANOSECONDS.toMillis(ns - startNs);
        }

        private static String blank(int calls) {
            return calls < 0 ? "" : Integer.toString(calls);
        }
    }
}
