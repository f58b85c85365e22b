package io.vmport.sip;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends unsolicited MWI NOTIFYs (RFC 3842) to one PBX target from the trunk's UDP socket (made by
 * {@link SipTrunk#mwiNotifier}). Per extension only the newest state is kept; failures are retried with
 * backoff and, after {@link MwiSettings#maxAttempts()}, reported to the {@link MwiListener} (SPEC MW-2).
 * Starts are paced ({@link MwiSettings#sendsPerSecond()}, {@link MwiSettings#maxInFlight()}), so that
 * {@link #sendAll} of every mailbox (MW-3) never floods the PBX nor starves the calls.
 *
 * <p>Thread-safe: {@link #send} and {@link #sendAll} only queue and return. One thread of its own starts
 * the NOTIFYs; answers come back on the trunk's UDP receiving thread and timeouts on the timer thread of
 * {@code NotifyTransactions}, which wake it only when they bring work sooner. The rules live in
 * {@code MwiQueue}, driven by time passed in.
 */
public final class MwiNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MwiNotifier.class);

    private final MwiSettings settings;
    private final MwiListener listener;
    private final NotifyTransport transport;
    private final LongSupplier clockNs;
    private final MwiQueue queue;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    /** The next timed pump; touched by the notifier's thread only. */
    private ScheduledFuture<?> timedPump;

    MwiNotifier(MwiSettings settings, MwiListener listener, NotifyTransport transport, LongSupplier clockNs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clockNs = Objects.requireNonNull(clockNs, "clockNs");
        this.queue = new MwiQueue(settings);
        String name = "vmport-mwi-" + settings.targetHost() + ":" + settings.targetPort();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the newest state of one mailbox; an unsent or waiting older state of its extension is dropped. */
    public void send(MwiState state) {
        queue.offer(Objects.requireNonNull(state, "state"));
        wake();
    }

    /** Queues the state of every mailbox (MW-3), paced like the rest. */
    public void sendAll(Collection<MwiState> states) {
        for (MwiState state : states) {
            queue.offer(Objects.requireNonNull(state, "state"));
        }
        wake();
    }

    /**
     * Forgets every state not yet sent or waiting for a retry, and retries none of those in flight: this server
     * may no longer send MWI (it stopped being PRIMARY, MW-1).
     */
    public void dropPending() {
        queue.dropPending();
    }

    /** NOTIFYs sent, retries included. */
    public long sent() {
        return queue.sent();
    }

    /** NOTIFYs answered 2xx. */
    public long answered() {
        return queue.answered();
    }

    /** States given up after their last attempt (each reported to the listener). */
    public long failed() {
        return queue.failed();
    }

    /** Extensions whose newest state is neither delivered nor given up yet. */
    public int pending() {
        return queue.pending();
    }

    public MwiSettings settings() {
        return settings;
    }

    /** Stops sending; what is queued is dropped (the next PRIMARY sends every state anyway, MW-3). */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    @Override
    public String toString() {
        return "MwiNotifier[" + settings.targetHost() + ":" + settings.targetPort() + " sent " + sent()
                + ", answered " + answered() + ", failed " + failed() + ", pending " + pending() + "]";
    }

    private void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                thread.execute(this::pump);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                wakeQueued.set(false);
            }
        }
    }

    /** On the notifier's thread: starts what is due, then sleeps until the next due time or a wake. */
    private void pump() {
        wakeQueued.set(false);
        if (timedPump != null) {
            timedPump.cancel(false);
            timedPump = null;
        }
        long nowNs = clockNs.getAsLong();
        List<MwiQueue.Attempt> due = queue.due(nowNs);
        for (MwiQueue.Attempt attempt : due) {
            try {
                transport.send(attempt.state, (code, outcome) -> completed(attempt, code, outcome));
            } catch (Exception e) {
                LOG.debug("mwi: cannot send {}: {}", attempt, e.toString());
                completed(attempt, 0, "not sent: " + e.getMessage());
            }
        }
        schedule(queue.nextDueNs(clockNs.getAsLong()));
    }

    private void schedule(long dueNs) {
        if (dueNs == Long.MAX_VALUE) {
            return;
        }
        long delayNs = Math.max(0, dueNs - clockNs.getAsLong());
        try {
            timedPump = thread.schedule(this::pump, delayNs, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed meanwhile
        }
    }

    private void completed(MwiQueue.Attempt attempt, int statusCode, String outcome) {
        MwiQueue.Failure failure = queue.completed(attempt, statusCode, outcome, clockNs.getAsLong());
        if (statusCode < 200 || statusCode >= 300) {
            LOG.debug("mwi: {} to {}:{} got {}", attempt, settings.targetHost(), settings.targetPort(), outcome);
        }
        if (failure != null) {
            LOG.warn("mwi: gave up {} for {} after {} attempts to {}:{}, the last got {}", failure.state(),
                    failure.state().extension(), failure.attempts(), settings.targetHost(), settings.targetPort(),
                    failure.lastOutcome());
            try {
                listener.onMwiFailed(failure.state(), failure.attempts(), failure.lastOutcome());
            } catch (RuntimeException e) {
                LOG.error("mwi: listener failed on {}: {}", failure, e.toString(), e);
            }
        }
        if (queue.takeReplan()) {
            wake();
        }
    }
}
