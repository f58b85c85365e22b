package io.vmport.sip;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one trunk, for metrics. Read them from any thread; they only grow, except
 * {@link #activeCalls()}.
 */
public final class TrunkCounters {

    private final LongAdder offered = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder connected = new LongAdder();
    private final LongAdder redirected = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final LongAdder retransmissionsAbsorbed = new LongAdder();
    private final LongAdder overloadRejected = new LongAdder();
    private final LongAdder overloadOnArrival = new LongAdder();
    private final LongAdder overloadByGuard = new LongAdder();
    private final LongAdder malformedDropped = new LongAdder();
    private final AtomicLongArray refused = new AtomicLongArray(700);
    private final AtomicLongArray rejected = new AtomicLongArray(700);
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final AtomicInteger callsInSetup = new AtomicInteger();

    TrunkCounters() {
    }

    /** INVITEs handed to the listener. */
    public long offered() {
        return offered.sum();
    }

    /** Calls answered with 200 OK. */
    public long answered() {
        return answered.sum();
    }

    /** Answered calls whose ACK arrived. */
    public long connected() {
        return connected.sum();
    }

    /** Calls redirected with 302. */
    public long redirected() {
        return redirected.sum();
    }

    /** Calls cancelled by the PBX before the answer (487). */
    public long cancelled() {
        return cancelled.sum();
    }

    /** Calls ended after reaching the listener, for any {@link EndReason}. */
    public long ended() {
        return ended.sum();
    }

    /** Retransmitted INVITEs absorbed by their server transaction (never offered twice). */
    public long retransmissionsAbsorbed() {
        return retransmissionsAbsorbed.sum();
    }

    /** INVITEs refused with 503 because the trunk was full (calls or transactions), before any work. */
    public long overloadRejected() {
        return overloadRejected.sum();
    }

    /**
     * Of {@link #overloadRejected()}, the INVITEs refused on their arrival, before the stack's receive queue and
     * parser ({@link ArrivalGate}); the cheapest refusals.
     */
    public long overloadRejectedOnArrival() {
        return overloadOnArrival.sum();
    }

    /**
     * Of {@link #overloadRejected()}, the INVITEs the overload guard refused at the {@link TrunkGate}, after the
     * stack's queue and parser, the trunk not being full by its counts. The rest were refused there (or later) by
     * the counts.
     */
    public long overloadRejectedByGuard() {
        return overloadByGuard.sum();
    }

    /**
     * Requests dropped unanswered because nothing in them could be answered: no readable Via, or neither a request
     * line nor a CSeq. Malformed requests that can be answered get 400 and are counted in {@link #refused} or
     * {@link #rejected}.
     */
    public long malformedDropped() {
        return malformedDropped.sum();
    }

    /**
     * New INVITEs answered with this final status (400..699): refusals by the engine, 403 from the access list,
     * 400/415/488 for bad offers, 503 on overload. Cancelled calls (487) are in {@link #cancelled()}.
     */
    public long refused(int statusCode) {
        return statusCode >= 400 && statusCode < 700 ? refused.get(statusCode) : 0;
    }

    /** Other requests (OPTIONS, BYE, unknown methods, ...) answered with this error status (400..699). */
    public long rejected(int statusCode) {
        return statusCode >= 400 && statusCode < 700 ? rejected.get(statusCode) : 0;
    }

    /** Calls between the offer and their end (or refusal) right now. */
    public int activeCalls() {
        return activeCalls.get();
    }

    @Override
    public String toString() {
        return "TrunkCounters[offered=" + offered() + ", answered=" + answered() + ", connected=" + connected()
                + ", redirected=" + redirected() + ", cancelled=" + cancelled() + ", ended=" + ended()
                + ", active=" + activeCalls() + ", absorbed=" + retransmissionsAbsorbed() + ", overload="
                + overloadRejected() + " (on arrival " + overloadRejectedOnArrival() + ", by the guard "
                + overloadRejectedByGuard() + "), 486=" + refused(486) + ", 503=" + refused(503) + "]";
    }


    void countOffered() {
        offered.increment();
    }

    void countAnswered() {
        answered.increment();
    }

    void countConnected() {
        connected.increment();
    }

    void countRedirected() {
        redirected.increment();
    }

    void countCancelled() {
        cancelled.increment();
    }

    void countEnded() {
        ended.increment();
    }

    void countAbsorbed() {
        retransmissionsAbsorbed.increment();
    }

    void countOverload() {
        overloadRejected.increment();
    }

    void countOverloadOnArrival() {
        overloadRejected.increment();
        overloadOnArrival.increment();
    }

    void countOverloadByGuard() {
        overloadRejected.increment();
        overloadByGuard.increment();
    }

    void countMalformedDropped() {
        malformedDropped.increment();
    }

    /** Counts a final response to a request; INVITEs go to {@link #refused}, others to {@link #rejected}. */
    void countResponse(boolean invite, int statusCode) {
        if (statusCode >= 400 && statusCode < 700) {
            (invite ? refused : rejected).incrementAndGet(statusCode);
        }
    }

    /** Takes a call slot when fewer than {@code max} calls are active. */
    boolean admitCall(int max) {
        for (;;) {
            int n = activeCalls.get();
            if (n >= max) {
                return false;
            }
            if (activeCalls.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Of {@link #activeCalls()}, those still being set up: offered, or answered and not yet acknowledged. */
    public int callsInSetup() {
        return callsInSetup.get();
    }

    void setupStarted() {
        callsInSetup.incrementAndGet();
    }

    void setupOver() {
        callsInSetup.decrementAndGet();
    }

    void releaseCall() {
        activeCalls.decrementAndGet();
    }
}
