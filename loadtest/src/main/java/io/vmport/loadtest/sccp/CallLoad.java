package io.vmport.loadtest.sccp;

import io.vmport.sccp.sim.CallOutcome;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offers calls to the phone-system simulator at a given rate for a given count and collects how each came out:
 * answered per server, or unanswered.
 */
public final class CallLoad {
    /**
     * What a run gave.
     *
     * @param offered          calls offered
     * @param answered         calls a device answered
     * @param unanswered       calls nobody answered
     * @param answeredByServer answered calls per server
     * @param offerSeconds     how long offering took
     */
    public record Result(int offered, int answered, int unanswered, Map<String, Integer> answeredByServer,
            double offerSeconds) {
        /** Calls answered by {@code server}. */
        public int answeredBy(String server) {
            return answeredByServer.getOrDefault(server, 0);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "offered %d in %.2f s (%.0f/s), answered %d %s, unanswered %d",
                    offered, offerSeconds, offerSeconds > 0 ? offered / offerSeconds : 0, answered, answeredByServer,
                    unanswered);
        }
    }

    private CallLoad() {
    }

    /**
     * Offers {@code count} calls at {@code ratePerSecond} and waits (at most {@code timeoutMs} after the last
     * offer) until each is answered or given up.
     */
    public static Result run(PhoneSystemSimulator sim, int count, double ratePerSecond, long timeoutMs)
            throws Exception {
        if (count <= 0 || ratePerSecond <= 0) {
            throw new IllegalArgumentException("count " + count + " and ratePerSecond " + ratePerSecond
                    + "; allowed: both > 0");
        }
        List<CompletableFuture<CallOutcome>> outcomes = new ArrayList<>(count);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmport-sccp-call-load");
            t.setDaemon(true);
            return t;
        });
        CompletableFuture<Void> allOffered = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        long periodNs = Math.max(1, (long) (1e9 / ratePerSecond));
        long startNs = System.nanoTime();
        try {
            ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= count) {
                    allOffered.complete(null);
                    return;
                }
                CompletableFuture<CallOutcome> f = sim.offerCall(String.format("555%05d", i % 100_000), "8000");
                synchronized (outcomes) {
                    outcomes.add(f);
                }
            }, 0, periodNs, TimeUnit.NANOSECONDS);
            allOffered.get(timeoutMs + (long) (count / ratePerSecond * 1000) * 2, TimeUnit.MILLISECONDS);
            task.cancel(false);
        } finally {
            timer.shutdownNow();
        }
        double offerSeconds = (System.nanoTime() - startNs) / 1e9;
        List<CompletableFuture<CallOutcome>> all;
        synchronized (outcomes) {
            all = List.copyOf(outcomes);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(timeoutMs, TimeUnit.MILLISECONDS);
        int answered = 0;
        Map<String, Integer> byServer = new LinkedHashMap<>();
        for (CompletableFuture<CallOutcome> f : all) {
            CallOutcome o = f.join();
            if (o.answered()) {
                answered++;
                byServer.merge(o.server(), 1, Integer::sum);
            }
        }
        return new Result(all.size(), answered, all.size() - answered, byServer, offerSeconds);
    }
}
