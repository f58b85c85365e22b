package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.engine.admin.CallCounts;
import io.vmport.engine.calls.CallOutcome;
import io.vmport.engine.pipeline.CallRecord;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.routing.RefuseCause;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts call records by outcome and refusal cause, for {@code /metrics}: the node's journal sink
 * ({@link DatabaseJournalSink}) counts each record as it copies it for the database, so the counts sit beside the
 * journal and the admin API only reads them ({@link #counts}). A few increments per record, no allocation; counts
 * are read from any thread.
 */
public final class CallCounters {
    private static final RefuseCause[] CAUSES = RefuseCause.values();

    private final LongAdder[] byOutcome = adders(CallOutcome.values().length);
    private final LongAdder[] refusedByCause = adders(CAUSES.length);

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** Counts one record; on the journal thread. */
    public void count(CallRecord r) {
        if (r.outcome() != null) {
            byOutcome[r.outcome().ordinal()].increment();
            if (r.outcome() == CallOutcome.REFUSED && r.cause() != null) {
                refusedByCause[r.cause().ordinal()].increment();
            }
        }
    }

    /** Recorded calls with this outcome. */
    public long recorded(CallOutcome outcome) {
        return byOutcome[outcome.ordinal()].sum();
    }

    /** The totals, counting the calls on a port in {@code snapshot} as offered and answered. */
    public CallCounts counts(MonitorSnapshot snapshot) {
        long onPorts = 0;
        for (ServerName s : ServerName.values()) {
            onPorts += snapshot.callsInProgress(s);
        }
        long recorded = 0;
        for (LongAdder a : byOutcome) {
            recorded += a.sum();
        }
        Map<String, Long> refused = new LinkedHashMap<>();
        for (RefuseCause c : CAUSES) {
            refused.put(c.name(), refusedByCause[c.ordinal()].sum());
        }
        refused.put(CallOutcome.FAILED.name(), recorded(CallOutcome.FAILED));
        return new CallCounts(recorded + onPorts,
                recorded(CallOutcome.ANSWERED) + recorded(CallOutcome.ABANDONED) + onPorts,
                recorded(CallOutcome.REDIRECTED), refused);
    }
}
