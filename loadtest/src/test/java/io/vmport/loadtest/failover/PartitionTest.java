package io.vmport.loadtest.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmport.config.ServerName;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.PrimaryRoleRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.loadtest.Greetings;
import io.vmport.loadtest.sipp.MwiPbx;
import io.vmport.loadtest.sipp.SippRun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ST-12, ST-13 with the two nodes in network namespaces made by the test, as two hosts:
 *
 * <pre>
 *   host (test JVM: MariaDB on loopback, one TCP proxy per node, SIPp)
 *     10.231.1.1 hA ======= vA 10.231.1.2   ns A: publisher  (SIP, admin; database via 10.231.1.1)
 *     10.231.2.1 hB ======= vB 10.231.2.2   ns B: subscriber (SIP, admin; database via 10.231.2.1)
 *                           pA 10.231.3.1 ===== pB 10.231.3.2   the peer link, A to B directly
 * </pre>
 *
 * First the link between the nodes is cut ({@code ip link set pA down}) while both reach the database: the
 * subscriber sees the publisher renew its lease on the PRIMARY role, so there is no split brain: exactly one
 * PRIMARY by epoch. Then the link and both database paths are cut: each side confirms its network (its
 * gateway) and is PRIMARY, answers calls and keeps its records; healed, both show SPLIT_BRAIN_RECOVERY, merge, and
 * the publisher is PRIMARY again. Every call SIPp made has exactly one call record: none lost, none doubled.
 * Needs root (skipped otherwise) and {@code ip}; under CI=true a missing {@code ip} or {@code sipp} fails.
 *
 * <p>MWI (MW-1, MW-3, ST-12): SIPp as the PBX's MWI receiver on the host ({@link MwiPbx}, 10.231.1.1, which ns B
 * reaches through its gateway); during the split each side takes a voice message for mailbox 1001 (kept on its
 * disk, the database being away, MS-2); after the recovery the PRIMARY sends one state per mailbox, from the
 * merged counts, and the subscriber none; every message is stored once.
 */
class PartitionTest {
    private static final int SIP = 5060;
    private static final int ADMIN = 8080;
    private static final int PEER = 7400;
    private static final int DATABASE_WAIT_MS = 12_000;

    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 10000));
    private final String nsA = "vmp-a-" + suffix;
    private final String nsB = "vmp-b-" + suffix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private int callsMade;
    private MwiPbx pbx;
    private ExecutorService background;

    @AfterEach
    void cleanUp() throws Exception {
        for (NodeProcess n : nodes) {
            n.close();
        }
        for (TcpProxy p : proxies) {
            p.close();
        }
        if (pbx != null) {
            pbx.close();
        }
        if (background != null) {
            background.shutdownNow();
        }
        for (String ns : namespaces) {
            run(false, "ip", "netns", "del", ns); // takes its veths with it
        }
    }

    @Test
    void st12_st13_mw3_partitionWithAndWithoutTheDatabase_oneRecordPerCall_oneMwiStatePerMailbox() throws Exception {
        requirements();
        Path jar = Path.of(System.getProperty("vmport.jar", "../engine/target/vmport.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            fail("no engine jar at " + jar + ": build it first (mvn -B package -pl engine -am -DskipTests)");
        }
        Path work = Path.of("target", "partition").toAbsolutePath();
        Files.createDirectories(work);
        network();

        DatabaseSettings db = TestDatabase.freshDatabase();
        URI dbUri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        InetSocketAddress dbAddress = new InetSocketAddress(dbUri.getHost(), dbUri.getPort());
        int proxyPort = LoopbackPorts.freeTcp();
        TcpProxy toDbA = proxy(new InetSocketAddress("10.231.1.1", proxyPort), dbAddress);
        TcpProxy toDbB = proxy(new InetSocketAddress("10.231.2.1", proxyPort), dbAddress);
        try (Database seed = Database.open(db)) {
            MailboxSeed.write(seed, 1001, 2); // 1001: 1 new, 1 heard; 1002: 2 new
        }
        // the PBX's MWI receiver on the host, reached from ns A directly and from ns B through its gateway
        run(true, "ip", "-n", nsB, "route", "add", "10.231.1.1/32", "via", "10.231.2.1");
        String mwiTarget = "10.231.1.1:" + LoopbackPorts.freeUdpAndTcp();
        pbx = MwiPbx.start("10.231.1.1", Integer.parseInt(mwiTarget.substring(mwiTarget.indexOf(':') + 1)), "SIP/2.0 200 OK",
                work, "mwi-pbx");
        NodeProcess pub = node(jar, work, "publisher", nsA, "10.231.1", "10.231.3.1", "10.231.3.2", db, proxyPort,
                mwiTarget);
        NodeProcess sub = node(jar, work, "subscriber", nsB, "10.231.2", "10.231.3.2", "10.231.3.1", db, proxyPort,
                mwiTarget);
        pub.start();
        Poll.await("the publisher answers", 60_000, () -> pub.cluster() != null, pub::logTail);
        sub.start();
        Poll.await("ST-1 on both nodes", 60_000, () -> settled(pub, sub), () -> pub.logTail() + "\n----\n"
                + sub.logTail());

        try (Database check = Database.open(db)) {
            Poll.await("MW-3: the PRIMARY sends every mailbox at start", 20_000, () -> pbx.received().size() >= 2,
                    () -> pbx.received() + "\n" + pbx.errors() + "\n" + pub.logTail());
            MwiAssert.oncePerMailbox(pbx.received(), pub.sipAddress(), MailboxSeed.counts(check), "at start");
            long messagesBefore = check.messages().count();
            calls(pub, sub, work, "before");

            // 1. the link between the nodes cut, the database reachable from both: no split brain (ST-13)
            run(true, "ip", "-n", nsA, "link", "set", "pA" + suffix, "down");
            Poll.await("both nodes notice the silence", 10_000,
                    () -> !peerConnected(sub.cluster()) && !peerConnected(pub.cluster()),
                    () -> pub.cluster() + "\n" + sub.cluster());
            long untilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() - untilNs < 0) { // 6 heartbeat timeouts, watched every 50 ms
                assertEquals("PRIMARY", selfStatus(pub), "the publisher stays PRIMARY");
                assertEquals("SECONDARY", selfStatus(sub), "no failover: the subscriber sees the publisher's lease");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            PrimaryRoleRow role = check.primaryRole().current();
            assertEquals(ServerName.PUBLISHER, role.holder(), "exactly one PRIMARY by epoch: " + role);
            calls(pub, sub, work, "link-cut");
            run(true, "ip", "-n", nsA, "link", "set", "pA" + suffix, "up");
            Poll.await("link healed: ST-1 again", 20_000, () -> settled(pub, sub),
                    () -> pub.cluster() + "\n" + sub.cluster());
            assertEquals(ServerName.PUBLISHER, check.primaryRole().current().holder());

            // 2. the link and both database paths cut: split brain (ST-12)
            long splitStartMs = System.currentTimeMillis();
            toDbA.cut();
            toDbB.cut();
            run(true, "ip", "-n", nsA, "link", "set", "pA" + suffix, "down");
            Poll.await("split brain: both nodes PRIMARY", 30_000,
                    () -> "PRIMARY".equals(selfStatus(pub)) && "PRIMARY".equals(selfStatus(sub)),
                    () -> pub.cluster() + "\n" + sub.cluster() + "\n" + sub.logTail());
            long recordsBefore = check.callRecords().count();
            background = Executors.newFixedThreadPool(2);
            List<Future<SippRun.Result>> messages = new ArrayList<>();
            for (NodeProcess n : List.of(pub, sub)) {
                messages.add(background.submit(() -> voiceMessage(n, work)));
            }
            for (Future<SippRun.Result> m : messages) { // alone on each node: its voice threads wait on the database
                SippRun.Result r = m.get(90, TimeUnit.SECONDS);
                assertTrue(r.allSucceeded(), "a message left during the split: " + r);
            }
            callsMade += messages.size();
            calls(pub, sub, work, "split");
            assertEquals(recordsBefore, check.callRecords().count(), "the split's records are kept by the nodes");
            assertEquals(messagesBefore, check.messages().count(), "the split's messages are kept by the nodes");
            int beforeHeal = pbx.received().size();

            run(true, "ip", "-n", nsA, "link", "set", "pA" + suffix, "up");
            Poll.await("healed link: both SPLIT_BRAIN_RECOVERY while the database is still away", 15_000,
                    () -> "SPLIT_BRAIN_RECOVERY".equals(selfStatus(pub))
                            && "SPLIT_BRAIN_RECOVERY".equals(selfStatus(sub)),
                    () -> pub.cluster() + "\n" + sub.cluster() + "\n" + pub.logTail());
            toDbA.restore();
            toDbB.restore();
            Poll.await("merged: publisher PRIMARY, subscriber SECONDARY on both", 40_000, () -> settled(pub, sub),
                    () -> pub.cluster() + "\n" + sub.cluster() + "\n" + pub.logTail() + "\n----\n" + sub.logTail());
            long healedMs = System.currentTimeMillis();

            Poll.await(callsMade + " call records, one per call", 20_000,
                    () -> check.callRecords().count() == callsMade,
                    () -> check.callRecords().count() + " records for " + callsMade + " calls");
            assertEquals(callsMade, distinctRecords(check), "none doubled");
            List<AlarmRow> alarms = check.alarms().newest(1_000);
            assertTrue(alarms.stream().noneMatch(a -> a.name().equals("SbrFailed")), alarms.toString());
            for (ServerName side : ServerName.values()) {
                assertTrue(alarms.stream().anyMatch(a -> a.server() == side && a.raisedAtMs() >= splitStartMs
                                && a.raisedAtMs() <= healedMs),
                        "the alarms " + side.configName() + " raised during the split are stored: " + alarms);
            }
            assertEquals(ServerName.PUBLISHER, check.primaryRole().current().holder());

            // ST-12, MS-2: both messages stored once; MW-3: one state per mailbox from the merged counts
            Poll.await("the split's 2 messages stored", 20_000, () -> check.messages().count() == messagesBefore + 2,
                    () -> check.messages().count() + " messages, " + messagesBefore + " before the split");
            Map<String, String> merged = MailboxSeed.counts(check);
            assertEquals(Map.of("1001", "3/1", "1002", "2/0"), merged, "one message from each side in 1001");
            Poll.await("MW-3: the recovered PRIMARY sends the merged counts", 20_000,
                    () -> merged.equals(lastStates(MwiAssert.since(pbx, beforeHeal))),
                    () -> pbx.received() + "\n" + pub.logTail());
            MwiAssert.oncePerMailbox(MwiAssert.since(pbx, beforeHeal), pub.sipAddress(), merged,
                    "ST-12: the recovered PRIMARY, once per mailbox");
            MwiAssert.noneFailedItsChecks(pbx);
            assertEquals(messagesBefore + 2, check.messages().count(), "none doubled");
            System.out.println("PARTITION " + callsMade + " calls, " + check.callRecords().count()
                    + " call records, none lost or doubled; " + alarms.size() + " alarms");
        }
    }

    // ---------------------------------------------------------------- the calls

    /** 8 calls to each node from the host, all answered; counted in {@link #callsMade}. */
    private void calls(NodeProcess pub, NodeProcess sub, Path work, String phase) throws Exception {
        for (NodeProcess n : List.of(pub, sub)) {
            String gateway = n == pub ? "10.231.1.1" : "10.231.2.1";
            SippRun.Result r = new SippRun(n == pub ? "10.231.1.2" : "10.231.2.2", SIP)
                    .scenario(scenario()).name(phase + "-" + n.name).service("answer").calls(8).rate(20)
                    .holdMs(200).timeoutSeconds(30).extra("-i", gateway).run(work.resolve("sipp"));
            assertEquals(SippRun.ALL_CALLS_SUCCEEDED, r.exitCode(), phase + " on " + n.name + ": " + r);
            assertEquals(8, r.successful(), phase + " on " + n.name + ": " + r);
            callsMade += 8;
        }
    }

    /**
     * A voice message for mailbox 1001 on {@code n}, the caller hanging up 4 s into the recording (MD-4). With the
     * database away the node waits out its pool's 5 s for the mailbox and again for its greeting (about 10 s) before
     * the greeting plays, so the caller speaks {@value #DATABASE_WAIT_MS} ms after the greeting's length: recording
     * has begun by then, and less than the 10 s of silence that would end it has passed.
     */
    private static SippRun.Result voiceMessage(NodeProcess n, Path work) throws Exception {
        String gateway = n.name.equals("publisher") ? "10.231.1.1" : "10.231.2.1";
        Path scenario = Path.of(PartitionTest.class.getClassLoader().getResource("sipp/voice-hangup-recording.xml")
                .toURI());
        return new SippRun(n.adminHost, SIP).scenario(scenario).name("message-" + n.name).service("5000")
                .holdMs((int) Greetings.greetingAndBeepMs("1001") + DATABASE_WAIT_MS).timeoutSeconds(60)
                .extra("-i", gateway, "-mp", Integer.toString(LoopbackPorts.freeUdpAndTcp())).run(work.resolve("sipp"));
    }

    /** The newest counts per extension among {@code notifies}. */
    private static Map<String, String> lastStates(List<MwiPbx.Notify> notifies) {
        Map<String, String> last = new java.util.TreeMap<>();
        notifies.forEach(n -> last.put(n.extension(), n.counts()));
        return last;
    }

    private static long distinctRecords(Database db) throws Exception {
        try (var c = db.dataSource().getConnection();
             var ps = c.prepareStatement("SELECT COUNT(DISTINCT call_id, server) FROM call_record");
             var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Path scenario() {
        try {
            return Path.of(PartitionTest.class.getClassLoader().getResource("sipp/basic-call.xml").toURI());
        } catch (Exception e) {
            throw new AssertionError("no test resource sipp/basic-call.xml", e);
        }
    }

    // ---------------------------------------------------------------- the views

    private static boolean settled(NodeProcess pub, NodeProcess sub) {
        for (NodeProcess n : List.of(pub, sub)) {
            JsonNode v = n.cluster();
            if (v == null || !"PRIMARY".equals(NodeProcess.status(v, "publisher"))
                    || !"SECONDARY".equals(NodeProcess.status(v, "subscriber")) || !peerConnected(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean peerConnected(JsonNode view) {
        return view != null && view.path("servers").path(0).path("peerConnected").asBoolean();
    }

    /** The node's own status as it reports it; "" when it does not answer. */
    private static String selfStatus(NodeProcess n) {
        return NodeProcess.status(n.cluster(), n.name);
    }

    // ---------------------------------------------------------------- set-up

    private void requirements() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean ipPresent = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip"));
        if (!ipPresent && ci) {
            fail("'ip' (iproute2) is not installed and CI=true: the partition test must run in CI");
        }
        Assumptions.assumeTrue(ipPresent, "'ip' (iproute2) is not installed: the partition test is skipped");
        if (!SippRun.onPath() && ci) {
            fail("sipp is not on PATH and CI=true: the partition test must run in CI (install sip-tester)");
        }
        Assumptions.assumeTrue(SippRun.onPath(), "sipp is not on PATH: the partition test is skipped");
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes()).trim();
        id.waitFor();
        Assumptions.assumeTrue("0".equals(uid), "the partition test needs root (network namespaces); uid is " + uid
                + ": skipped");
    }

    /** The namespaces and veths drawn in the class javadoc. */
    private void network() throws Exception {
        String hA = "hA" + suffix;
        String vA = "vA" + suffix;
        String hB = "hB" + suffix;
        String vB = "vB" + suffix;
        String pA = "pA" + suffix;
        String pB = "pB" + suffix;
        run(true, "ip", "netns", "add", nsA);
        namespaces.add(nsA);
        run(true, "ip", "netns", "add", nsB);
        namespaces.add(nsB);
        for (String ns : List.of(nsA, nsB)) {
            run(true, "ip", "-n", ns, "link", "set", "lo", "up");
        }
        run(true, "ip", "link", "add", hA, "type", "veth", "peer", "name", vA, "netns", nsA);
        run(true, "ip", "link", "add", hB, "type", "veth", "peer", "name", vB, "netns", nsB);
        run(true, "ip", "-n", nsA, "link", "add", pA, "type", "veth", "peer", "name", pB, "netns", nsB);
        run(true, "ip", "addr", "add", "10.231.1.1/24", "dev", hA);
        run(true, "ip", "addr", "add", "10.231.2.1/24", "dev", hB);
        run(true, "ip", "-n", nsA, "addr", "add", "10.231.1.2/24", "dev", vA);
        run(true, "ip", "-n", nsB, "addr", "add", "10.231.2.2/24", "dev", vB);
        run(true, "ip", "-n", nsA, "addr", "add", "10.231.3.1/24", "dev", pA);
        run(true, "ip", "-n", nsB, "addr", "add", "10.231.3.2/24", "dev", pB);
        run(true, "ip", "link", "set", hA, "up");
        run(true, "ip", "link", "set", hB, "up");
        run(true, "ip", "-n", nsA, "link", "set", vA, "up");
        run(true, "ip", "-n", nsB, "link", "set", vB, "up");
        run(true, "ip", "-n", nsA, "link", "set", pA, "up");
        run(true, "ip", "-n", nsB, "link", "set", pB, "up");
    }

    private TcpProxy proxy(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        TcpProxy p = new TcpProxy(listen, target);
        proxies.add(p);
        p.restore();
        return p;
    }

    private NodeProcess node(Path jar, Path work, String server, String ns, String lan, String peerListen,
                             String peerAddress, DatabaseSettings db, int proxyPort, String mwiTarget)
            throws IOException {
        String self = lan + ".2";
        String dbUrl = db.jdbcUrl().replaceFirst("//[^/]+/", "//" + lan + ".1:" + proxyPort + "/");
        NodeProcess n = new NodeFile(server, self, "10.231.0.0/16", SIP, ADMIN, peerListen + ":" + PEER,
                peerAddress + ":" + PEER, dbUrl, db.user(), db.password(), 32, 1_000, "10.231.1.1, 10.231.2.1")
                .withMwiTarget(mwiTarget).process(jar, work, List.of("ip", "netns", "exec", ns));
        nodes.add(n);
        return n;
    }

    private static void run(boolean check, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + ": no answer in 10 s");
        }
        if (check && p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
    }
}
