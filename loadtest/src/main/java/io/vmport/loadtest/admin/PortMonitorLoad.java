package io.vmport.loadtest.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Polls a node's port monitor ({@code GET /api/ports}, SPEC PM-1) as fast as it can from a few client threads for
 * a fixed time and prints queries per second and the latency percentiles. Run it beside a SIPp load on the same
 * node to show that polling does not slow call handling (SIPp's failed-call count is the other half).
 *
 * <pre>
 * java -cp loadtest/target/benchmarks.jar io.vmport.loadtest.admin.PortMonitorLoad \
 *      --url http://127.0.0.1:8080 --token change-me [--threads 2] [--seconds 30] [--warmup-seconds 3] \
 *      [--client jdk|netty] [--path /api/ports]
 * </pre>
 * {@code --client jdk} (the default) polls with {@code java.net.http.HttpClient}, one per thread;
 * {@code --client netty} with {@code --threads} connections on one event-loop thread ({@link NettyPoller}). Run
 * both beside each other to tell the client's cost from the server's.
 */
public final class PortMonitorLoad {
    private PortMonitorLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        String token = System.getenv("VMPORT_TOKEN");
        int threads = 2;
        int seconds = 30;
        int warmupSeconds = 3;
        String clientKind = "jdk";
        String path = "/api/ports";
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = value;
                case "--token" -> token = value;
                case "--threads" -> threads = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                case "--client" -> clientKind = value;
                case "--path" -> path = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --url --token --threads --seconds --warmup-seconds --client --path");
            }
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--token (or VMPORT_TOKEN) is required");
        }
        if (!clientKind.equals("jdk") && !clientKind.equals("netty")) {
            throw new IllegalArgumentException("--client " + clientKind + ": must be jdk or netty");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).GET().build();
        Recorder recorder = new Recorder(3);
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder bytes = new LongAdder();
        long startNs = System.nanoTime();
        long measureFromNs = startNs + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long endNs = measureFromNs + TimeUnit.SECONDS.toNanos(seconds);
        if (clientKind.equals("netty")) {
            NettyPoller.run(URI.create(url), path, token, threads, recorder, ok, failed, bytes, measureFromNs, endNs);
        } else {
            List<Thread> pollers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2)).build();
                Thread poller = new Thread(
                        () -> poll(client, request, recorder, ok, failed, bytes, measureFromNs, endNs), "poller-" + t);
                poller.start();
                pollers.add(poller);
            }
            for (Thread poller : pollers) {
                poller.join();
            }
        }
        Histogram h = recorder.getIntervalHistogram();
        double qps = ok.sum() / (double) seconds;
        System.out.printf(Locale.ROOT, "port monitor %s%s: %s client, %d %s, %d s measured after %d s warm-up%n",
                url, path, clientKind, threads, clientKind.equals("jdk") ? "threads" : "connections on one thread",
                seconds, warmupSeconds);
        System.out.printf(Locale.ROOT, "  %d queries ok (%.0f/s), %d failed, %.0f bytes per answer%n", ok.sum(), qps,
                failed.sum(), ok.sum() == 0 ? 0.0 : bytes.sum() / (double) ok.sum());
        System.out.printf(Locale.ROOT, "  latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()));
    }

    private static void poll(HttpClient client, HttpRequest request, Recorder recorder, LongAdder ok,
                             LongAdder failed, LongAdder bytes, long measureFromNs, long endNs) {
        while (true) {
            long sentNs = System.nanoTime();
            if (sentNs >= endNs) {
                return;
            }
            boolean measuring = sentNs >= measureFromNs;
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                long tookNs = System.nanoTime() - sentNs;
                if (!measuring) {
                    continue;
                }
                if (response.statusCode() == 200) {
                    ok.increment();
                    bytes.add(response.body().length);
                    recorder.recordValue(tookNs);
                } else {
                    failed.increment();
                }
            } catch (java.io.IOException e) {
                if (measuring) {
                    failed.increment();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }
}
