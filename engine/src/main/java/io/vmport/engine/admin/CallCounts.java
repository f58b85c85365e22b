package io.vmport.engine.admin;

import java.util.Map;

/**
 * Call totals since the node started, for {@code /metrics}. Immutable.
 *
 * @param offered         calls offered: every recorded call plus those on a port now
 * @param answered        calls a port answered: recorded answered or abandoned, plus those on a port now
 * @param redirected      calls redirected to the other server (CA-1)
 * @param refusedByCause  refused calls by {@link io.vmport.engine.routing.RefuseCause} name (and FAILED)
 */
public record CallCounts(long offered, long answered, long redirected, Map<String, Long> refusedByCause) {
    public static final CallCounts NONE = new CallCounts(0, 0, 0, Map.of());

    public CallCounts {
        refusedByCause = Map.copyOf(refusedByCause);
    }
}
