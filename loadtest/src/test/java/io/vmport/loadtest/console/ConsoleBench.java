package io.vmport.loadtest.console;

import static io.vmport.loadtest.console.ConsolePair.PUBLISHER;
import static io.vmport.loadtest.console.ConsolePair.SUBSCRIBER;
import static io.vmport.loadtest.console.ConsolePair.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.testing.Poll;
import io.vmport.loadtest.SippCluster;
import io.vmport.loadtest.sipp.SippRun;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The console's two benchmarks of issue 15 (BENCHMARKS.md), run on demand only:
 * {@code mvn -B -q -o -pl loadtest -am test -Dtest=ConsoleBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dvmport.bench=console} (the shaded jar built first). Results are printed and written to
 * {@code target/console-bench/}. No speed is asserted; only that the runs were what they claim (calls answered,
 * events received, rows shown).
 */
@EnabledIfSystemProperty(named = "vmport.bench", matches = ".*console.*")
class ConsoleBench {
    private static final Path WORK = Path.of("target", "console-bench").toAbsolutePath();
    /** 1,000 ports per server: the port count. */
    private static final int PORTS = 2_000;
    private static final int CLIENTS = 10;
    private static final int CALLS_PER_SECOND = 300;
    private static final int HOLD_MS = 100;
    private static final int WARMUP_SECONDS = 90;
    private static final int PHASE_SECONDS = 15;
    private static final int SETTLE_SECONDS = 2;
    /** 0, 10, 0, 10...: the baseline interleaved with the measured load in one run, for a shared machine. */
    private static final int[] PHASE_CLIENTS = {0, CLIENTS, 0, CLIENTS, 0, CLIENTS, 0, CLIENTS};
    private static final long TICK_MS = 10; // getconf CLK_TCK = 100
    private static final int RENDER_RUNS = 7;

    /**
     * (a) The CPU the publisher's node spends (utime + stime from /proc/PID/stat) while SIPp offers it 300 calls/s,
     * with 10 event-stream readers connected to it beside none, phases interleaved.
     */
    @Test
    void eventStreamCpuAt300CallsPerSecond() throws Exception {
        SippCluster.requireSippOrSkip();
        Path work = WORK.resolve("cpu");
        String loadStart = loadAverage();
        int runSeconds = WARMUP_SECONDS + PHASE_CLIENTS.length * (PHASE_SECONDS + SETTLE_SECONDS) + 10;
        List<String> report = new ArrayList<>();
        ExecutorService background = Executors.newSingleThreadExecutor();
        HttpClient http = EventStreamClient.httpClient();
        try (ConsolePair pair = ConsolePair.start(work, PORTS, "-Xms512m", "-Xmx512m")) {
            long pid = pair.publisher.pid();
            Future<SippRun.Result> sipp = background.submit(() -> pair.sipp(PUBLISHER, "basic-call.xml")
                    .name("cpu-300").service("answer").calls(CALLS_PER_SECOND * runSeconds).rate(CALLS_PER_SECOND)
                    .holdMs(HOLD_MS).timeoutSeconds(runSeconds + 60).run(work.resolve("sipp")));
            // warm-up: half without readers, half with them, so the JIT has compiled the stream's path too
            window(WARMUP_SECONDS / 2);
            List<EventStreamClient> warm = connect(http, pair, CLIENTS);
            window(WARMUP_SECONDS / 2);
            warm.forEach(EventStreamClient::close);

            report.add("phase | clients | node CPU, % of a core | calls answered/s | CPU ms per call "
                    + "| ports events/s per client | data KiB/s per client");
            double[] sum = new double[2];
            double[] perCall = new double[2];
            int[] count = new int[2];
            for (int i = 0; i < PHASE_CLIENTS.length; i++) {
                int n = PHASE_CLIENTS[i];
                List<EventStreamClient> clients = connect(http, pair, n);
                window(SETTLE_SECONDS);
                long events0 = clients.stream().mapToLong(EventStreamClient::portEvents).sum();
                long chars0 = clients.stream().mapToLong(EventStreamClient::dataChars).sum();
                long answered0 = answered(pair);
                long ticks0 = cpuTicks(pid);
                long t0 = System.nanoTime();
                window(PHASE_SECONDS);
                long ticks1 = cpuTicks(pid);
                long answered = answered(pair) - answered0;
                double seconds = (System.nanoTime() - t0) / 1e9;
                long events = clients.stream().mapToLong(EventStreamClient::portEvents).sum() - events0;
                long chars = clients.stream().mapToLong(EventStreamClient::dataChars).sum() - chars0;
                clients.forEach(EventStreamClient::close);
                double cpu = 100.0 * (ticks1 - ticks0) * TICK_MS / 1000.0 / seconds;
                double msPerCall = (ticks1 - ticks0) * (double) TICK_MS / Math.max(1, answered);
                sum[n == 0 ? 0 : 1] += cpu;
                perCall[n == 0 ? 0 : 1] += msPerCall;
                count[n == 0 ? 0 : 1]++;
                report.add(String.format(Locale.ROOT, "%d | %d | %.1f | %.0f | %.3f | %s | %s", i + 1, n, cpu,
                        answered / seconds, msPerCall,
                        n == 0 ? "-" : String.format(Locale.ROOT, "%.1f", events / seconds / n),
                        n == 0 ? "-" : String.format(Locale.ROOT, "%.1f", chars / 1024.0 / seconds / n)));
                if (n > 0) {
                    assertTrue(events > 0, "the readers received port changes in phase " + (i + 1));
                }
            }
            SippRun.Result calls = sipp.get(runSeconds + 120L, TimeUnit.SECONDS);
            double none = sum[0] / count[0];
            double ten = sum[1] / count[1];
            report.add(String.format(Locale.ROOT, "mean: 0 clients %.1f%%, %d clients %.1f%%, difference %.1f%% "
                    + "of a core; CPU per answered call %.3f ms vs %.3f ms", none, CLIENTS, ten, ten - none,
                    perCall[0] / count[0], perCall[1] / count[1]));
            report.add("SIPp: " + calls.successful() + " calls answered, " + calls.failed() + " failed, "
                    + CALLS_PER_SECOND + " calls/s, hold " + HOLD_MS + " ms, " + PORTS + " ports");
            report.add("load average at start: " + loadStart + "; at end: " + loadAverage());
            write(work.resolve("cpu.txt"), report);
            assertTrue(calls.successful() > 0, "SIPp's calls were answered: " + calls);
        } finally {
            background.shutdownNow();
        }
    }

    private static List<EventStreamClient> connect(HttpClient http, ConsolePair pair, int n) {
        List<EventStreamClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(new EventStreamClient(http, ConsolePair.HOST, pair.publisher.adminPort, TOKEN));
        }
        Poll.await(n + " event streams open with the full port list", 20_000,
                () -> clients.stream().allMatch(c -> c.status() == 200 && c.portEvents() > 0),
                () -> clients.stream().map(c -> c.status() + "/" + c.portEvents()).toList().toString());
        return clients;
    }

    /**
     * (b) The Port Monitor of a cluster with 2,000 ports (1,000 per server) loaded in the browser: from navigation
     * start to the 2,000th row in the table (a MutationObserver put into the page before its scripts) and to the
     * second animation frame after it (the rows painted). Baseline in the same run: a 16-port cluster.
     */
    @Test
    void portMonitorWith2000PortsRenders() throws Exception {
        ConsoleBrowser.requireChromiumOrSkip();
        Path work = WORK.resolve("render");
        String loadStart = loadAverage();
        List<String> report = new ArrayList<>();
        report.add("run | ports | navigation -> last row in the DOM, ms | -> painted (2nd frame after), ms");
        try (ConsolePair big = ConsolePair.start(work.resolve("p2000"), PORTS);
             ConsolePair small = ConsolePair.start(work.resolve("p16"), 16);
             ConsoleBrowser browser = ConsoleBrowser.start(1280, 900, work)) {
            // one pair's page on 127.0.0.1, the other's on localhost: their session cookies stay apart
            String bigUrl = big.pageUrl(PUBLISHER);
            String smallUrl = small.pageUrl(SUBSCRIBER);
            browser.openSignedIn(bigUrl, TOKEN);
            browser.openSignedIn(smallUrl, TOKEN);
            browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", RENDER_PROBE));
            List<double[]> bigTimes = new ArrayList<>();
            List<double[]> smallTimes = new ArrayList<>();
            for (int run = 1; run <= RENDER_RUNS; run++) {
                double[] b = renderOnce(browser, bigUrl, PORTS);
                double[] s = renderOnce(browser, smallUrl, 16);
                bigTimes.add(b);
                smallTimes.add(s);
                report.add(String.format(Locale.ROOT, "%d | %d | %.0f | %.0f", run, PORTS, b[0], b[1]));
                report.add(String.format(Locale.ROOT, "%d | %d | %.0f | %.0f", run, 16, s[0], s[1]));
            }
            report.add(summary(PORTS, bigTimes));
            report.add(summary(16, smallTimes));
            report.add("load average at start: " + loadStart + "; at end: " + loadAverage());
            write(work.resolve("render.txt"), report);
        }
    }

    /** Loads {@code url}'s Port Monitor afresh; [ms to the last of {@code rows} rows, ms to its paint]. */
    private static double[] renderOnce(ConsoleBrowser browser, String url, int rows) {
        browser.open("about:blank");
        browser.open(url + "#ports");
        browser.await(rows + " rows on the Port Monitor", Duration.ofSeconds(30), d -> {
            Object painted = browser.script("const r = window.vmportRender; return r && r.painted[" + rows + "];");
            return painted != null;
        });
        Number at = (Number) browser.script("return window.vmportRender.rows[" + rows + "];");
        Number painted = (Number) browser.script("return window.vmportRender.painted[" + rows + "];");
        assertEquals(rows, ((Number) browser.script("return document.querySelectorAll('table#ports tbody tr')"
                + ".length;")).intValue(), "every port has its row");
        return new double[] {at.doubleValue(), painted.doubleValue()};
    }

    /**
     * Put into every new document before its scripts: records, for each row count the port table reaches, when it
     * reached it ({@code performance.now()}: ms since navigation start) and when the second animation frame after
     * that ran (the frame with the rows has been produced by then).
     */
    private static final String RENDER_PROBE = """
            (() => {
              const r = window.vmportRender = {rows: {}, painted: {}};
              const seen = () => {
                const body = document.querySelector('table#ports tbody');
                const n = body ? body.rows.length : 0;
                if (n > 0 && r.rows[n] === undefined) {
                  r.rows[n] = performance.now();
                  requestAnimationFrame(() => requestAnimationFrame(() => { r.painted[n] = performance.now(); }));
                }
              };
              new MutationObserver(seen).observe(document, {childList: true, subtree: true});
            })();
            """;

    private static String summary(int ports, List<double[]> times) {
        double[] dom = times.stream().mapToDouble(t -> t[0]).sorted().toArray();
        double[] paint = times.stream().mapToDouble(t -> t[1]).sorted().toArray();
        return String.format(Locale.ROOT, "%d ports, %d runs: last row median %.0f ms (min %.0f, max %.0f); "
                + "painted median %.0f ms (min %.0f, max %.0f)", ports, times.size(), dom[dom.length / 2], dom[0],
                dom[dom.length - 1], paint[paint.length / 2], paint[0], paint[paint.length - 1]);
    }

    /** {@code vmport_calls_answered_total} of the publisher's node (the sum of its series). */
    private static long answered(ConsolePair pair) throws IOException, InterruptedException {
        double total = 0;
        for (String line : pair.getText(PUBLISHER, "/metrics").split("\n")) {
            if (line.startsWith("vmport_calls_answered_total")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    /** utime + stime of process {@code pid}, in clock ticks: fields 14 and 15 of /proc/PID/stat. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after "(comm)", which may hold spaces: state is field 3, utime 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /** A measuring window: the benchmark waits for time itself to pass, not for a state. */
    private static void window(int seconds) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        lines.forEach(l -> System.out.println("CONSOLE-BENCH " + l));
    }
}
