package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A trunk starts once and stops once; a port already taken is refused with where and why. */
class SipTrunkLifecycleTest {

    @Test
    void startsOnceStopsIdempotently() throws Exception {
        int port = TestPorts.freeUdpAndTcp();
        SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress),
                new TestListener());
        trunk.start();
        assertTrue(trunk.isRunning());
        assertThrows(IllegalStateException.class, trunk::start);
        trunk.stop();
        trunk.stop();
        assertFalse(trunk.isRunning());
        assertThrows(IllegalStateException.class, trunk::start);
    }

    @Test
    void portInUseIsRefusedWithTheAddress() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, a -> true)
                    .withTransports(java.util.EnumSet.of(SipTransport.UDP)), new TestListener());
            IOException e = assertThrows(IOException.class, trunk::start);
            assertTrue(e.getMessage().startsWith("sip trunk 127.0.0.1:" + port + " [UDP]: cannot start"), e.getMessage());
            assertFalse(trunk.isRunning());
        }
    }
}
