package io.vmport.loadtest.failover;

import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.EmbeddedDatabase;
import io.vmport.loadtest.media.LoopbackCapture;
import io.vmport.loadtest.sipp.MwiPbx;
import io.vmport.loadtest.sipp.SippRun;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * Issue 14's aim "MWI for 10,000 mailboxes after a failover is sent within 10 s without disturbing calls": a scratch
 * embedded MariaDB holding {@code --mailboxes} mailboxes (with messages, {@link MailboxSeed}), two {@code vmport node}
 * processes from the engine's jar (100 ms heartbeats, 500 ms timeouts), SIPp as the PBX's MWI receiver
 * ({@link MwiPbx}, answers 200, logs every NOTIFY with its arrival time and sender) and SIPp making calls
 * ({@code basic-call.xml}) to the subscriber at {@code --rate} calls/s held {@code --hold-ms}, each call's set-up
 * time (INVITE sent to 200 received) traced with {@code -trace_rtt} (whole milliseconds) and, to the microsecond,
 * from a tshark capture of the subscriber's SIP port without the MWI traffic ({@link SetupTimes}). After {@code --before-s} s of calls the
 * publisher is killed with {@code kill -9}: the subscriber becomes PRIMARY and sends every mailbox (MW-3) while
 * the calls go on. Prints the burst (kill to first and last NOTIFY of the survivor, mailboxes covered) and the
 * call set-up p50/p99/max of the calls started before the kill (the baseline, same run, after {@code --warmup-s} s
 * of calls that are not counted: the subscriber's call path is cold until then) beside those started during the
 * burst and after it. {@code --no-mwi} runs the same failover without an MWI target (a control run: the failover alone),
 * the "burst" window then being {@code --window-ms} after the kill. Also prints the CPU of every process and of
 * the survivor's threads from the kill to the burst's end ({@link ProcCpu}), and writes each call's window and
 * set-up time to {@code setup-times.csv} in {@code --work}, so that runs can be pooled ({@code loadtest/bin/mwi-burst.sh}).
 *
 * <pre>
 * java -cp ... io.vmport.loadtest.failover.MwiBurstBench --jar engine/target/vmport.jar [--mailboxes 10000]
 *      [--rate 50] [--hold-ms 1000] [--warmup-s 10] [--before-s 15] [--after-s 15] [--no-mwi] [--mwi-rate N]
 *      [--window-ms 500,6000] [--work DIR] [--jvm "-Xms1g -Xmx1g"]
 * </pre>
 * {@code --mwi-rate} sets the cluster setting {@code mwiSendsPerSecond} (the MW-3 pacing; default 2,000/s).
 * {@code --jvm} replaces the nodes' JVM options (by default the test harness's small heap and C1-only JIT, see
 * {@link NodeProcess}), e.g. with the fixed heap and full JIT that README advises for a server.
 */
public final class MwiBurstBench {
    private static final String HOST = "127.0.0.1";
    private static final int FIRST_MAILBOX = 20_000;

    private MwiBurstBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        int mailboxes = 10_000;
        double rate = 50;
        int holdMs = 1_000;
        int warmupS = 10;
        int beforeS = 15;
        int afterS = 15;
        boolean mwi = true;
        long windowFromMs = 500;
        long windowToMs = 6_000;
        Path work = Path.of("target", "mwi-burst").toAbsolutePath();
        String[] jvm = null;
        int mwiRate = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Path.of(args[++i]).toAbsolutePath();
                case "--mailboxes" -> mailboxes = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--hold-ms" -> holdMs = Integer.parseInt(args[++i]);
                case "--warmup-s" -> warmupS = Integer.parseInt(args[++i]);
                case "--before-s" -> beforeS = Integer.parseInt(args[++i]);
                case "--after-s" -> afterS = Integer.parseInt(args[++i]);
                case "--no-mwi" -> mwi = false;
                case "--mwi-rate" -> mwiRate = Integer.parseInt(args[++i]);
                case "--window-ms" -> {
                    String[] w = args[++i].split(",");
                    windowFromMs = Long.parseLong(w[0]);
                    windowToMs = Long.parseLong(w[1]);
                }
                case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
                case "--jvm" -> jvm = args[++i].trim().split("\\s+");
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; allowed: --jar,"
                        + " --mailboxes, --rate, --hold-ms, --warmup-s, --before-s, --after-s, --no-mwi, --mwi-rate,"
                        + " --window-ms, --work, --jvm");
            }
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--jar: the engine's shaded jar (engine/target/vmport.jar), not " + jar);
        }
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
        Path dbDir = Files.createTempDirectory("vmport-mwi-burst-db");
        List<NodeProcess> nodes = new ArrayList<>();
        MwiPbx pbx = null;
        ExecutorService background = Executors.newSingleThreadExecutor();
        LoopbackCapture capture = null;
        try (EmbeddedDatabase embedded = EmbeddedDatabase.start(dbDir, freeTcp());
             Database db = Database.open(embedded.settings())) {
            long seedNs = System.nanoTime();
            MailboxSeed.write(db, FIRST_MAILBOX, mailboxes);
            System.out.printf(Locale.ROOT, "seeded %d mailboxes, %d messages, in %d ms%n", mailboxes,
                    db.messages().count(), (System.nanoTime() - seedNs) / 1_000_000);
            String target = null;
            int mwiPort = -1;
            if (mwi) {
                mwiPort = freeUdp();
                pbx = MwiPbx.start(HOST, mwiPort, "SIP/2.0 200 OK", work, "mwi-pbx");
                target = HOST + ":" + mwiPort;
            }
            int pubPeer = freeTcp();
            int subPeer = freeTcp();
            NodeProcess pub = node(jar, work, "publisher", embedded.settings(), pubPeer, subPeer, target, mwiRate,
                    jvm, nodes);
            NodeProcess sub = node(jar, work, "subscriber", embedded.settings(), subPeer, pubPeer, target, mwiRate,
                    jvm, nodes);
            pub.start();
            await("the publisher answers", 60_000, () -> pub.cluster() != null);
            sub.start();
            await("publisher PRIMARY, subscriber SECONDARY", 60_000,
                    () -> NodeProcess.settled(pub.cluster()) && NodeProcess.settled(sub.cluster()));
            if (pbx != null) {
                MwiPbx p = pbx;
                int n = mailboxes;
                await("the publisher's MW-3 at start", 60_000, () -> p.countFrom(pub.sipAddress()) >= n);
                List<MwiPbx.Notify> atStart = pbx.from(pub.sipAddress());
                System.out.printf(Locale.ROOT, "MW-3 at start: %d NOTIFYs from the publisher in %d ms%n",
                        atStart.size(), (atStart.get(atStart.size() - 1).atUs() - atStart.get(0).atUs()) / 1_000);
            }

            Path sippDir = work.resolve("sipp");
            clean(sippDir);
            Path scenario = copyScenario(work);
            int spanS = warmupS + beforeS + afterS;
            SippRun callsRun = new SippRun(HOST, sub.sipPort).scenario(scenario).name("calls").service("answer")
                    .calls((int) Math.round(rate * spanS)).rate(rate).holdMs(holdMs).timeoutSeconds(spanS + 60)
                    .extra("-trace_rtt", "-rtt_freq", "1");
            capture = LoopbackCapture.start(sippDir.resolve("calls.pcap"), "udp port " + sub.sipPort
                    + (mwiPort < 0 ? "" : " and not udp port " + mwiPort));
            Future<SippRun.Result> running = background.submit(() -> callsRun.run(sippDir));
            long measuredFromUs = nowUs() + warmupS * 1_000_000L;
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupS + beforeS)); // fixed spans of calls, not a state
            ProcCpu.Snapshot processesAtKill = ProcCpu.processes();
            ProcCpu.Snapshot threadsAtKill = ProcCpu.threads(sub.pid());
            long killUs = nowUs();
            pub.kill9();
            await("the subscriber PRIMARY", 10_000, () -> "PRIMARY".equals(NodeProcess.status(sub.cluster(),
                    "subscriber")));
            long primaryUs = nowUs();
            long burstFromUs = killUs + windowFromMs * 1_000;
            long burstToUs = killUs + windowToMs * 1_000;
            if (pbx != null) {
                MwiPbx p = pbx;
                int n = mailboxes;
                await("the survivor's MW-3", 60_000, () -> p.countFrom(sub.sipAddress()) >= n);
                List<MwiPbx.Notify> burst = pbx.from(sub.sipAddress());
                burstFromUs = burst.get(0).atUs();
                burstToUs = burst.get(burst.size() - 1).atUs();
                long distinct = burst.stream().map(MwiPbx.Notify::extension).distinct().count();
                System.out.printf(Locale.ROOT, "MW-3 after kill -9: %d NOTIFYs (%d mailboxes) from the survivor;"
                                + " kill to PRIMARY seen %d ms, kill to first %d ms, kill to last %d ms (burst %d ms)%n",
                        burst.size(), distinct, (primaryUs - killUs) / 1_000, (burstFromUs - killUs) / 1_000,
                        (burstToUs - killUs) / 1_000, (burstToUs - burstFromUs) / 1_000);
                System.out.printf(Locale.ROOT, "receiver check failures: %d%n",
                        pbx.errors().lines().filter(l -> l.contains("Failed regexp")).count());
            } else {
                System.out.printf(Locale.ROOT, "no MWI (control run): kill to PRIMARY seen %d ms; window %d..%d ms"
                        + " after the kill%n", (primaryUs - killUs) / 1_000, windowFromMs, windowToMs);
            }
            long windowEndMs = killUs / 1_000 + windowToMs;
            boolean control = pbx == null;
            await("the control's window", windowToMs + 1_000, () -> !control || nowUs() / 1_000 >= windowEndMs);
            System.out.println("-- CPU from the kill to the burst's end (processes, then the survivor's threads):");
            System.out.println(ProcCpu.top(processesAtKill, ProcCpu.processes(), 8));
            System.out.println(ProcCpu.top(threadsAtKill, ProcCpu.threads(sub.pid()), 12));
            SippRun.Result result = running.get(spanS + 120L, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "calls: %d successful, %d failed (exit %d)%n", result.successful(),
                    result.failed(), result.exitCode());
            capture.close();
            capture = null;
            System.out.println("-- SIPp -trace_rtt (whole ms, in steps of its clock):");
            report(sippRtt(rttFile(sippDir), sippStartUs(sippDir.resolve("calls-stats.csv"))), measuredFromUs,
                    killUs, burstFromUs, burstToUs, null);
            System.out.println("-- loopback capture (tshark, first INVITE to first 200 at the subscriber's port):");
            report(SetupTimes.read(sippDir.resolve("calls.pcap"), sub.sipPort), measuredFromUs, killUs, burstFromUs,
                    burstToUs, work.resolve("setup-times.csv"));
        } finally {
            background.shutdownNow();
            if (capture != null) {
                capture.close();
            }
            for (NodeProcess n : nodes) {
                n.close();
            }
            if (pbx != null) {
                pbx.close();
            }
            System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
        }
    }

    /**
     * SIPp's {@code -trace_rtt} lines ({@code date_ms;response_time_ms;rtd_no}: when the 200 arrived, in ms of
     * SIPp's clock from its start, and the set-up time in whole ms) as calls by when they started.
     */
    private static List<SetupTimes.Call> sippRtt(Path rtt, long sippStartUs) throws IOException {
        List<SetupTimes.Call> calls = new ArrayList<>();
        for (String line : Files.readAllLines(rtt, StandardCharsets.ISO_8859_1)) {
            String[] f = line.split(";");
            if (f.length < 2 || !Character.isDigit(f[0].trim().charAt(0))) {
                continue;
            }
            long answeredUs = sippStartUs + (long) (Double.parseDouble(f[0].trim()) * 1_000);
            long setupUs = (long) (Double.parseDouble(f[1].trim()) * 1_000);
            calls.add(new SetupTimes.Call(answeredUs - setupUs, setupUs));
        }
        return calls;
    }

    /**
     * Each call's set-up time by when it started: before the kill (from {@code measuredFromUs}, after the warm-up),
     * in the burst and after it; p50/p99/max of each and the ratio of the p99s.
     */
    private static void report(List<SetupTimes.Call> calls, long measuredFromUs, long killUs, long burstFromUs,
                               long burstToUs, Path csv) throws IOException {
        StringBuilder rows = new StringBuilder("window;setup_us\n");
        Histogram before = new Histogram(3_600_000_000L, 3);
        Histogram during = new Histogram(3_600_000_000L, 3);
        Histogram after = new Histogram(3_600_000_000L, 3);
        for (SetupTimes.Call call : calls) {
            long startedUs = call.startedUs();
            Histogram h = startedUs < measuredFromUs ? null
                    : startedUs < killUs ? before
                    : startedUs >= burstFromUs && startedUs <= burstToUs ? during
                    : startedUs > burstToUs ? after : null;
            if (h != null) {
                h.recordValue(Math.max(1, call.setupUs()));
                rows.append(h == before ? "before" : h == during ? "burst" : "after").append(';')
                        .append(call.setupUs()).append('\n');
            }
        }
        if (csv != null) {
            Files.writeString(csv, rows, StandardCharsets.US_ASCII);
        }
        print("before the kill (baseline)", before);
        print("during the burst (window)", during);
        print("after the burst", after);
        if (before.getTotalCount() > 0 && during.getTotalCount() > 0) {
            System.out.printf(Locale.ROOT, "p99 during the burst / p99 before the kill: %.2f%n",
                    (double) during.getValueAtPercentile(99) / before.getValueAtPercentile(99));
        }
    }

    private static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "call set-up %-28s %5d calls: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", what,
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getMaxValue() / 1e3);
    }

    /**
     * SIPp's start as epoch microseconds: the StartTime of its {@code -trace_stat} file,
     * {@code DATE<tab>TIME<tab>EPOCH_S.US} (its clock's zero, within a millisecond).
     */
    private static long sippStartUs(Path stats) throws IOException {
        List<String> lines = Files.readAllLines(stats, StandardCharsets.ISO_8859_1);
        String start = lines.get(1).split(";")[0];
        String epoch = start.substring(start.lastIndexOf('\t') + 1).trim();
        String[] parts = epoch.split("\\.");
        return Long.parseLong(parts[0]) * 1_000_000 + Long.parseLong((parts[1] + "000000").substring(0, 6));
    }

    private static Path rttFile(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*_rtt.csv")) {
            for (Path f : files) {
                return f;
            }
        }
        throw new IllegalStateException("no SIPp -trace_rtt file in " + dir);
    }

    private static NodeProcess node(Path jar, Path work, String server, DatabaseSettings db, int peerListen,
                                    int peerAddress, String mwiTarget, int mwiRate, String[] jvm,
                                    List<NodeProcess> nodes)
            throws IOException {
        int sip = freeUdp();
        int admin = freeTcp();
        NodeProcess n = new NodeFile(server, HOST, "127.0.0.0/8", sip, admin, HOST + ":" + peerListen,
                HOST + ":" + peerAddress, db.jdbcUrl(), db.user(), db.password(), 400, 600_000, HOST)
                .withMwiTarget(mwiTarget).withMwiSendsPerSecond(mwiRate).process(jar, work);
        if (jvm != null) {
            n.jvmOptions(jvm);
        }
        nodes.add(n);
        return n;
    }

    private static Path copyScenario(Path work) throws IOException {
        Path scenario = work.resolve("basic-call.xml");
        try (InputStream in = MwiBurstBench.class.getResourceAsStream("/sipp/basic-call.xml")) {
            if (in == null) {
                throw new IllegalStateException("no resource sipp/basic-call.xml on the class path");
            }
            Files.copy(in, scenario, StandardCopyOption.REPLACE_EXISTING);
        }
        return scenario;
    }

    private static void clean(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs > 0) {
                throw new IllegalStateException("not " + what + " within " + timeoutMs + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static long nowUs() {
        return System.currentTimeMillis() * 1_000;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static int freeTcp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdp() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
