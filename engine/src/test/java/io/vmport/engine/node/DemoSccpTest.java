package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.sccp.sim.CallOutcome;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmport demo --integration sccp} (DESIGN section 4), on free ports: the demo starts the phone-system
 * simulator with SPEC section 3's hunt list, every port device of both servers registers with it, and a call is
 * answered by the subscriber's first device (CA-3).
 */
class DemoSccpTest {
    @TempDir
    Path work;

    @Test
    void ca3DemoStartsThePhoneSystemAndEveryDeviceOfBothServersRegisters() throws Exception {
        DemoCluster.Layout layout = new DemoCluster.Layout(LoopbackPorts.freeUdpAndTcp(),
                LoopbackPorts.freeUdpAndTcp(), LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp(),
                LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp());
        try (DemoCluster demo = DemoCluster.start(work.resolve("data"), Integration.SCCP, 3, "t0ken", layout, 0)) {
            PhoneSystemSimulator sim = demo.phoneSystem().orElseThrow();
            assertEquals(6, demo.publisher().portPlan().size());
            Poll.await("all 2 x 3 port devices registered", 20_000, () -> sim.registeredCount() == 6,
                    () -> sim.counts() + "\n" + demo.publisher().describe() + "\n" + demo.subscriber().describe());
            CallOutcome outcome = sim.offerCall("5551234", "8000").get(10, TimeUnit.SECONDS);
            assertTrue(outcome.answered(), outcome.toString());
            assertEquals("sub-sccp-001", outcome.deviceName(), outcome.toString());
            assertTrue(demo.subscriber().describe().contains("registering with the phone system at"),
                    demo.subscriber().describe());
        }
    }
}
