package io.vmport.sip;

import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * Whether the trunk takes one more new call (SPEC BI-1, CA-1): not while its calls are at {@code maxCalls}, its
 * server transactions at 70% of the stack's table (below the 80% where the stack starts dropping requests at random),
 * its calls a queue of set-ups ({@link QueueShed}) or its {@link OverloadGuard} says it is behind. Asked for a UDP
 * INVITE on its arrival ({@link ArrivalGate}) and again at the {@link TrunkGate} once the stack has parsed it, when
 * the counts have caught up with what was still queued; the guard, whose probes are counted, is asked once per
 * INVITE. Also the memory of the INVITEs refused, shared by both gates ({@link RecentInvites}).
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
    /** INVITEs admitted on arrival, whose guard decision is not taken again at the {@link TrunkGate}. */
    final RecentInvites admittedOnArrival = new RecentInvites();

    NewCallAdmission(SipTrunkSettings settings, SIPTransactionStack stack, TrunkCounters counters,
            OverloadGuard guard) {
        this.stack = stack;
        this.counters = counters;
        this.guard = guard;
        this.maxCalls = settings.maxCalls();
        this.maxTransactions = settings.maxServerTransactions() * 7 / 10;
        this.queueShed = settings.queueShed();
    }

    /**
     * True when one more new call may come in; false: refuse it with 503.
     *
     * @param askGuard false when the guard admitted this INVITE already (on its arrival)
     */
    boolean admit(boolean askGuard) {
        int active = counters.activeCalls();
        return active < maxCalls && stack.getServerTransactionTableSize() < maxTransactions
                && !queueShed.sheds(active, counters.callsInSetup()) && (!askGuard || guard.admit());
    }
}
