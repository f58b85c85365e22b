package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import io.vmport.config.testing.LoopbackPorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmport demo} that cannot start says which node, which step, which address and why (issue 16 item 5), and
 * stops what it had started (the publisher, the embedded database).
 */
class DemoStartFailureTest {
    @TempDir
    Path data;

    @Test
    void aSubscriberAdminPortInUseNamesTheNodeTheStepTheAddressAndTheCause() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DemoCluster.Layout layout = new DemoCluster.Layout(LoopbackPorts.freeUdpAndTcp(),
                    LoopbackPorts.freeUdpAndTcp(), LoopbackPorts.freeTcp(), taken.getLocalPort(),
                    LoopbackPorts.freeTcp(), LoopbackPorts.freeTcp());
            NodeStartException e = assertThrows(NodeStartException.class,
                    () -> DemoCluster.start(data, Integration.SIP_TRUNK, 4, "t0ken", layout, 0));
            String expected = "starting the subscriber: listening for the admin API on 127.0.0.1:"
                    + taken.getLocalPort() + " failed: Address already in use";
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        }
    }
}
