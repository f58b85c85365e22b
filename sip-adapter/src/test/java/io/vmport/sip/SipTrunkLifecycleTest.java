package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

    /**
     * A stopped trunk leaves none of its stack's threads behind: a node stops and starts its trunk when its
     * status changes, and a thread that is not a daemon keeps the JVM from exiting (seen in {@code MwiNotifyCost}: a
     * JAIN-SIP "EventScannerThread" still waiting after the stop).
     */
    @Test
    void stopLeavesNoStackThreadRunning() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        int port = TestPorts.freeUdpAndTcp();
        SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress),
                new TestListener());
        trunk.start();
        trunk.stop();
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                    .map(t -> t.getName() + " " + t.getState()).toList();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadlineNs < 0);
        fail("threads that are not daemons still alive 5 s after stop(): " + left);
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
