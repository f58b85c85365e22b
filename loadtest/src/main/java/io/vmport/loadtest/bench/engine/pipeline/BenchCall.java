package io.vmport.loadtest.bench.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.pipeline.CallReply;
import io.vmport.engine.routing.RefuseCause;
import org.HdrHistogram.Recorder;

/**
 * A reusable call for benchmarks: its reply handle notes the decision (and, when given a recorder, the time
 * from publish to decision) and hands the call back to its producer through a {@link CallQueue}, since a
 * producer must never publish from the reply thread. Allocates nothing per call.
 */
final class BenchCall implements CallReply {
    final String callId;
    private final CallQueue replies;
    private final Recorder latency;
    /** The port answered on, or -1 when redirected or refused; written on the reply thread. */
    int port = -1;
    /** When the producer published the offer; read on the reply thread, after the ring's publication. */
    long sentNs;

    BenchCall(String callId, CallQueue replies, Recorder latency) {
        this.callId = callId;
        this.replies = replies;
        this.latency = latency;
    }

    @Override
    public void answer(int portIndex) {
        decided(portIndex);
    }

    @Override
    public void redirect(ServerName to) {
        decided(-1);
    }

    @Override
    public void refuse(RefuseCause cause) {
        decided(-1);
    }

    @Override
    public void hangUp() {
        // benchmarks never drop calls
    }

    private void decided(int portIndex) {
        if (latency != null) {
            latency.recordValue(System.nanoTime() - sentNs);
        }
        port = portIndex;
        replies.add(this);
    }
}
