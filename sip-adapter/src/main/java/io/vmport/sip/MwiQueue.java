package io.vmport.sip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The MWI work of one notifier, by extension, with time passed in (MW-2): only the newest state of an extension
 * is kept; a failed attempt waits 1, 2, 4... s (capped) and is given up after {@code maxAttempts}; starts are
 * paced by a token bucket ({@code sendsPerSecond}, a burst of 20 ms of it) and a window ({@code maxInFlight}).
 * While pacing, {@link #nextDueNs} waits for 5 ms of tokens, not one: a timed wake-up per NOTIFY cost the sending
 * thread three times the sending itself (issue 14: 37 against 7 to 10 us per NOTIFY at 2,000/s).
 * Thread-safe (one lock); does no I/O, so tests step it without a socket.
 *
 * <pre>
 * per extension:  IDLE --offer--> READY --due()--> IN_FLIGHT --2xx--> IDLE (removed)
 *                                   ^                  | failure, attempts left
 *                   offer (newest)  |                  v
 *                                   +---due time--- BACKOFF
 *                 IN_FLIGHT --answer to an older state--> READY (the newest goes next, attempts from 0)
 *                 IN_FLIGHT --failure, no attempts left--> IDLE (removed), reported as {@link Failure}
 * </pre>
 */
final class MwiQueue {

    enum Phase { READY, IN_FLIGHT, BACKOFF }

    /** One extension's pending work. */
    private static final class Entry {
        final String extension;
        MwiState newest;
        long generation;
        int attempts;
        int epoch;
        Phase phase;
        /** Dropped while its NOTIFY was in flight: forgotten once it completes. */
        boolean dropped;

        Entry(String extension) {
            this.extension = extension;
        }
    }

    /** One NOTIFY to send now; given back to {@link #completed} with its outcome. */
    static final class Attempt {
        final MwiState state;
        final int number;
        private final Entry entry;
        private final long generation;
        private final int epoch;

        private Attempt(Entry entry) {
            this.entry = entry;
            this.epoch = entry.epoch;
            this.state = entry.newest;
            this.generation = entry.generation;
            this.number = entry.attempts;
        }

        @Override
        public String toString() {
            return state + " attempt " + number;
        }
    }

    /** A state given up after its last attempt. */
    record Failure(MwiState state, int attempts, String lastOutcome) {
    }

    private record Retry(long dueNs, Entry entry, int epoch) {
    }

    private static final long NS_PER_MS = 1_000_000L;
    private static final long NS_PER_S = 1_000_000_000L;

    private final MwiSettings settings;
    private final Map<String, Entry> entries = new HashMap<>();
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final PriorityQueue<Retry> retries = new PriorityQueue<>((a, b) -> Long.compare(a.dueNs, b.dueNs));
    private final double burst;
    /** The tokens a paced pump waits for: 5 ms of the rate, at least one, at most the burst. */
    private final double tokensPerPump;
    private double tokens;
    private long refilledNs;
    private boolean started;
    private int inFlight;
    private long sent;
    private long answered;
    private long failed;
    /** Set when a completion brought work sooner than the notifier's timed pump knows of; see {@link #takeReplan}. */
    private boolean replan;

    MwiQueue(MwiSettings settings) {
        this.settings = settings;
        this.burst = Math.max(1.0, settings.sendsPerSecond() / 50.0);
        this.tokens = burst;
        this.tokensPerPump = Math.max(1.0, Math.min(burst, settings.sendsPerSecond() / 200.0));
    }

    /** The newest state for its extension: replaces a queued or waiting older one (an answer in flight stays). */
    synchronized void offer(MwiState state) {
        Entry e = entries.computeIfAbsent(state.extension(), Entry::new);
        e.newest = state;
        e.generation++;
        e.attempts = 0;
        e.dropped = false;
        if (e.phase == null || e.phase == Phase.BACKOFF) {
            toReady(e);
        }
    }

    /**
     * The attempts to start now, within the rate and the window; each is counted as sent. Moves due retries
     * to the ready queue first (they go behind states already waiting).
     */
    synchronized List<Attempt> due(long nowNs) {
        refill(nowNs);
        while (!retries.isEmpty() && retries.peek().dueNs - nowNs <= 0) {
            Retry r = retries.poll();
            if (r.entry.epoch == r.epoch && r.entry.phase == Phase.BACKOFF) {
                toReady(r.entry);
            }
        }
        List<Attempt> start = null;
        while (!ready.isEmpty() && inFlight < settings.maxInFlight() && tokens >= 1.0) {
            Entry e = ready.poll();
            tokens -= 1.0;
            e.attempts++;
            e.phase = Phase.IN_FLIGHT;
            e.epoch++;
            inFlight++;
            sent++;
            if (start == null) {
                start = new ArrayList<>();
            }
            start.add(new Attempt(e));
        }
        return start == null ? List.of() : start;
    }

    /**
     * The final outcome of an attempt: {@code statusCode} of its final response, or 0 when it got none (timeout,
     * not sendable). Returns the failure to report when this was the state's last attempt, else null. A second
     * outcome for the same attempt is ignored.
     */
    synchronized Failure completed(Attempt attempt, int statusCode, String outcome, long nowNs) {
        Entry e = attempt.entry;
        if (e.phase != Phase.IN_FLIGHT || e.epoch != attempt.epoch || entries.get(e.extension) != e) {
            return null;
        }
        if (inFlight-- >= settings.maxInFlight() && !ready.isEmpty()) {
            replan = true; // the window was full: no pump is timed for the states waiting behind it
        }
        boolean ok = statusCode >= 200 && statusCode < 300;
        if (ok) {
            answered++;
        }
        if (e.dropped) {
            entries.remove(e.extension);
            return null;
        }
        if (attempt.generation != e.generation) {
            toReady(e);
            replan = true;
            return null;
        }
        if (ok) {
            entries.remove(e.extension);
            return null;
        }
        if (e.attempts >= settings.maxAttempts()) {
            entries.remove(e.extension);
            failed++;
            return new Failure(e.newest, e.attempts, outcome);
        }
        e.phase = Phase.BACKOFF;
        e.epoch++;
        retries.add(new Retry(nowNs + settings.retryDelayMs(e.attempts) * NS_PER_MS, e, e.epoch));
        replan = true;
        return null;
    }

    /**
     * Whether a completion since the last call may have made {@link #nextDueNs} earlier (a full window freed, a
     * newer state to send, a retry to time); clears it. An answer that changes neither needs no pump: MW-3's
     * thousands of 2xx answers would each wake the notifier's thread for nothing.
     */
    synchronized boolean takeReplan() {
        boolean r = replan;
        replan = false;
        return r;
    }

    /**
     * When {@link #due} has work next, or {@code Long.MAX_VALUE} when only an answer can bring some (nothing
     * queued, or the window is full).
     */
    synchronized long nextDueNs(long nowNs) {
        refill(nowNs);
        long next = Long.MAX_VALUE;
        if (!ready.isEmpty() && inFlight < settings.maxInFlight()) {
            double wanted = Math.min(tokensPerPump, ready.size()); // at least 1: both are
            next = tokens >= 1.0 ? nowNs
                    : nowNs + (long) Math.ceil((wanted - tokens) * NS_PER_S / settings.sendsPerSecond());
        }
        if (!retries.isEmpty() && retries.peek().dueNs - next < 0) {
            next = retries.peek().dueNs;
        }
        return next;
    }

    /** Forgets every state not yet sent or waiting to be retried; those in flight are not retried. */
    synchronized void dropPending() {
        ready.clear();
        retries.clear();
        entries.values().removeIf(e -> {
            e.dropped = e.phase == Phase.IN_FLIGHT;
            return !e.dropped;
        });
    }

    /** Extensions with a state not yet delivered or given up. */
    synchronized int pending() {
        return entries.size();
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** NOTIFYs started, retries included. */
    synchronized long sent() {
        return sent;
    }

    /** NOTIFYs answered 2xx. */
    synchronized long answered() {
        return answered;
    }

    /** States given up after their last attempt. */
    synchronized long failed() {
        return failed;
    }

    private void toReady(Entry e) {
        e.phase = Phase.READY;
        e.epoch++;
        ready.add(e);
    }

    private void refill(long nowNs) {
        if (!started) {
            started = true;
            refilledNs = nowNs;
            return;
        }
        long elapsedNs = nowNs - refilledNs;
        if (elapsedNs > 0) {
            tokens = Math.min(burst, tokens + (double) elapsedNs * settings.sendsPerSecond() / NS_PER_S);
            refilledNs = nowNs;
        }
    }
}
