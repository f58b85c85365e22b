package io.vmport.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC MD-6: the port monitor shows each busy port's conversation state and mailbox. A conversation's change
 * enters the ring like any other event, so a query reads it from the published snapshot and never waits.
 */
class ConversationMonitorTest {
    private static final int PORTS = TestRouters.portCount(2);

    private final ManualClock clock = new ManualClock();
    private final LinkedBlockingQueue<TestCall> inbox = new LinkedBlockingQueue<>();
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.stop();
        }
    }

    @Test
    void md6_conversationAndMailboxShowWhileTheCallLastsAndGoWithIt() throws Exception {
        pipeline = new Pipeline(PipelineSettings.defaults(PORTS).withMonitorMinIntervalNs(0).withTickIntervalNs(0),
                TestRouters.sipTrunk(2), new RecordingJournalSink(), clock);
        pipeline.start();
        TestCall call = new TestCall("c1", ServerName.PUBLISHER, inbox, null);
        pipeline.producer().offer(ServerName.PUBLISHER, -1, "c1", "2002", "5000", "1001",
                CallReason.FORWARDED_NO_ANSWER, call);
        assertNotNull(inbox.poll(10, TimeUnit.SECONDS), "no reply to the offer");
        pipeline.producer().answered(call.port, "c1");

        pipeline.producer().conversationChanged(call.port, "c1", new ConversationChange("GREETING", "1001"));
        Await.drained(pipeline);
        assertEquals("GREETING", pipeline.monitorSnapshot().port(call.port).conversation());
        assertEquals("1001", pipeline.monitorSnapshot().port(call.port).mailbox());

        pipeline.producer().conversationChanged(call.port, "c1", new ConversationChange("RECORDING", "1001"));
        // a late change of a call that no longer holds the port is ignored
        pipeline.producer().conversationChanged(call.port, "an-old-call", new ConversationChange("MAILBOX", "1009"));
        Await.drained(pipeline);
        assertEquals("RECORDING", pipeline.monitorSnapshot().port(call.port).conversation());
        assertEquals("1001", pipeline.monitorSnapshot().port(call.port).mailbox());

        pipeline.producer().ended(call.port, "c1");
        Await.drained(pipeline);
        assertNull(pipeline.monitorSnapshot().port(call.port).conversation());
        assertNull(pipeline.monitorSnapshot().port(call.port).mailbox());
    }

    @Test
    void md6_aChangeMustNameAState() {
        assertThrows(IllegalArgumentException.class, () -> new ConversationChange("", "1001"));
        assertNull(new ConversationChange("OPENING", null).mailbox());
    }
}
