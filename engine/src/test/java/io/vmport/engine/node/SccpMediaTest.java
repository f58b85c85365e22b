package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.testing.Poll;
import io.vmport.engine.media.MediaCounters;
import io.vmport.engine.pipeline.PortSnapshot;
import io.vmport.sccp.sim.CallOutcome;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC MD-1 for SCCP: an answered SCCP call gets its own media session, announced in OpenReceiveChannelAck and
 * connected by StartMediaTransmission (the simulator points it at loopback's discard port), its conversation shows
 * in the port monitor (MD-6), and the session closes when the caller hangs up.
 */
class SccpMediaTest {
    @TempDir
    Path work;

    @Test
    void md1_md6_answeredSccpCallHasItsOwnMediaSessionUntilItEnds() throws Exception {
        try (DemoCluster demo = DemoSccpTest.registeredDemo(work.resolve("data"))) {
            PhoneSystemSimulator sim = demo.phoneSystem().orElseThrow();
            CallOutcome outcome = sim.offerCall("5551234", "8000").get(10, TimeUnit.SECONDS);
            assertTrue(outcome.answered(), outcome.toString());
            Node subscriber = demo.subscriber();
            MediaCounters counters = subscriber.voice().counters();
            Poll.await("one session sending RTP where StartMediaTransmission said", 10_000,
                    () -> counters.sessionsOpen() == 1 && counters.packetsOut() > 10,
                    () -> counters.asMap().toString());
            int port = subscriber.portPlan().ports().stream().filter(p -> p.name().equals(outcome.deviceName()))
                    .findFirst().orElseThrow().index();
            Poll.await("the monitor shows the caller asked for an extension", 10_000,
                    () -> "OPENING".equals(subscriber.monitorSnapshot().port(port).conversation()),
                    () -> subscriber.monitorSnapshot().port(port).toString());
            PortSnapshot shown = subscriber.monitorSnapshot().port(port);
            assertEquals(null, shown.mailbox(), "no mailbox until an extension is entered: " + shown);

            // the demo phone system hangs up after DEMO_HOLD_MS
            Poll.await("the session closed with the call", DemoCluster.DEMO_HOLD_MS + 10_000,
                    () -> counters.sessionsOpen() == 0, () -> counters.asMap().toString());
        }
    }
}
