package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import io.vmport.config.ServerName;
import io.vmport.engine.routing.RefuseCause;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No allocation per call in steady state on the producer path and the router, reply, journal, peer and release
 * stages (the monitor allocates its snapshots, rate-limited). Counted per thread with HotSpot's allocation
 * counter: any per-call allocation would be 16 bytes or more per call; the bound is 1.
 */
class PipelineAllocationTest {
    private static final int PORTS_PER_SERVER = 500;
    private static final int WARM_UP_CALLS = 200_000;
    private static final int MEASURED_CALLS = 200_000;
    private static final List<String> NON_ALLOCATING = List.of("router", "reply", "journal", "release");
    private static final CallReply NO_REPLY = new CallReply() {
        @Override
        public void answer(int portIndex) {
        }

        @Override
        public void redirect(ServerName to) {
        }

        @Override
        public void refuse(RefuseCause cause) {
        }

        @Override
        public void hangUp() {
        }
    };

    @Test
    void steadyState_allocatesNothingPerCall_outsideTheMonitor() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int ports = TestRouters.portCount(PORTS_PER_SERVER);
        // a thread per stage, so that each stage's bytes are counted apart (shared, the monitor's would mix in)
        try (Pipeline pipeline = new Pipeline(PipelineSettings.defaults(ports).withThreadNamePrefix("alloc-test")
                .withStageThreads(StageThreads.PER_STAGE),
                TestRouters.gateway(ports), NoOpJournalSink.INSTANCE, NanoClock.SYSTEM)) {
            pipeline.start();
            run(pipeline, ports, WARM_UP_CALLS);
            Map<String, Long> before = allocatedByStage(threads);
            long producerBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            run(pipeline, ports, MEASURED_CALLS);
            long producerBytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - producerBefore;
            Map<String, Long> after = allocatedByStage(threads);

            assertEquals(0, pipeline.handlerFailures(), pipeline.describe());
            assertTrue(producerBytes / (double) MEASURED_CALLS < 1, "producer: " + producerBytes + " bytes");
            for (String stage : NON_ALLOCATING) {
                long bytes = after.get(stage) - before.get(stage);
                assertTrue(bytes / (double) MEASURED_CALLS < 1,
                        () -> stage + " allocated " + bytes + " bytes over " + MEASURED_CALLS + " calls");
            }
        }
    }

    /** Offers (naming the port, as a gateway does), answers and ends calls; then waits for the ring to drain. */
    private static void run(Pipeline pipeline, int ports, int calls) {
        PipelineProducer producer = pipeline.producer();
        for (int i = 0; i < calls; i++) {
            int port = i % ports;
            producer.offer(ServerName.PUBLISHER, TestRouters.gatewayPort(port), "call", "1001", "5000", null, CallReason.DIRECT, NO_REPLY);
            producer.answered(port, "call");
            producer.ended(port, "call");
        }
        Await.drained(pipeline);
    }

    private static Map<String, Long> allocatedByStage(com.sun.management.ThreadMXBean threads) {
        Map<String, Long> bytes = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("alloc-test-")) {
                bytes.put(info.getThreadName().substring("alloc-test-".length()),
                        threads.getThreadAllocatedBytes(info.getThreadId()));
            }
        }
        return bytes;
    }
}
