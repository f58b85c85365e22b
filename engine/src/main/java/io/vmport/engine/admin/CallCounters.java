package io.vmport.engine.admin;

import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallOutcome;
import io.vmport.engine.pipeline.CallRecord;
import io.vmport.engine.pipeline.CallRecordBatch;
import io.vmport.engine.pipeline.JournalSink;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.routing.RefuseCause;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts call records by outcome and refusal cause on their way to the real {@link JournalSink}, for
 * {@code /metrics}. Install it as the pipeline's journal sink; it adds a few increments per record and allocates
 * nothing. Counts are read from any thread.
 */
public final class CallCounters implements JournalSink {
    private static final RefuseCause[] CAUSES = RefuseCause.values();

    private final JournalSink delegate;
    private final LongAdder[] byOutcome = adders(CallOutcome.values().length);
    private final LongAdder[] refusedByCause = adders(CAUSES.length);

    /** @param delegate where the records go afterwards */
    public CallCounters(JournalSink delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    @Override
    public void write(CallRecordBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            CallRecord r = batch.get(i);
            if (r.outcome() != null) {
                byOutcome[r.outcome().ordinal()].increment();
                if (r.outcome() == CallOutcome.REFUSED && r.cause() != null) {
                    refusedByCause[r.cause().ordinal()].increment();
                }
            }
        }
        delegate.write(batch);
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
