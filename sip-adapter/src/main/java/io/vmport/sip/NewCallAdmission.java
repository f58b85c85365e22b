package io.vmport.sip;

import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * Whether the trunk takes one more new call (SPEC BI-1, CA-1): not while it is full by its counts (calls at
 * {@code maxCalls}, server transactions at 70% of the stack's table, below the 80% where the stack starts dropping
 * requests at random, or its calls a queue of set-ups, {@link QueueShed}) or its {@link OverloadGuard} says it is
 * behind. The counts are asked for a UDP INVITE on its arrival ({@link ArrivalGate}), and everything at the
 * {@link TrunkGate} once the stack has parsed it. The guard is asked there only: its signal, the ACKs' delay, is read
 * as they leave the stack's queue, so it speaks for an INVITE leaving the queue with them, not for one arriving
 * (decided on arrival, a cold JVM's stall that the trunk works off would shed the calls that arrive during it).
 * Also the memory of the INVITEs refused, shared by both gates ({@link RecentInvites}).
 */
final class NewCallAdmission {

    private final SIPTransactionStack stack;
    private final TrunkCounters counters;
    private final OverloadGuard guard;
    private final int maxCalls;
    private final int maxTransactions;
    private final QueueShed queueShed;
    /** INVITEs refused with 503, so that their retransmissions are refused too. */
    final RecentInvites shed = new RecentInvites();
    /**
     * INVITEs let in at the {@link TrunkGate}, so that a copy of one is never refused: neither while its
     * transaction is being made nor once the 2xx has ended it (a 503 then would tell the PBX to give up a call that
     * is answered, and its port would stay held, unacknowledged, for 32 s).
     */
    final RecentInvites taken = new RecentInvites();

    NewCallAdmission(SipTrunkSettings settings, SIPTransactionStack stack, TrunkCounters counters,
            OverloadGuard guard) {
        this.stack = stack;
        this.counters = counters;
        this.guard = guard;
        this.maxCalls = settings.maxCalls();
        this.maxTransactions = settings.maxServerTransactions() * 7 / 10;
        this.queueShed = settings.queueShed();
    }

    /** True when the trunk is full by its counts: a new INVITE is refused with 503 whatever the guard says. */
    boolean full() {
        int active = counters.activeCalls();
        return active >= maxCalls || stack.getServerTransactionTableSize() >= maxTransactions
                || queueShed.sheds(active, counters.callsInSetup());
    }

    /**
     * Whether the overload guard admits one more call (false: refuse it with 503); asked only when the trunk is not
     * {@link #full()}, so a new call comes in when {@code !full() && guardAdmits()}.
     */
    boolean guardAdmits() {
        return guard.admit();
    }
}
