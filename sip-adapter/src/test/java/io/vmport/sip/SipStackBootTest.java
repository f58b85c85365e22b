package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Properties;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipStack;
import org.junit.jupiter.api.Test;

/**
 * jain-sip-ri loads {@code org.apache.log4j} classes at run time and fails with a misleading
 * {@code PeerUnavailableException} without them. They must come from log4j-over-slf4j, never from log4j 1.x.
 */
class SipStackBootTest {

    @Test
    void log4jClassesComeFromTheSlf4jBridge() throws Exception {
        Class<?> logger = Class.forName("org.apache.log4j.Logger");
        String from = logger.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(from.contains("log4j-over-slf4j"), "org.apache.log4j.Logger loaded from " + from);
    }

    @Test
    void stackStartsAndListensOnLoopback() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "boot-test");
        SipStack stack = factory.createSipStack(p);
        try {
            ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP);
            stack.createSipProvider(lp);
            stack.start();
            // jain-sip-ri's stop() throws if it runs before the UDP processor thread has started
            UdpStartup.awaitThreads(java.util.List.of(lp), 0);
            assertEquals(port, lp.getPort());
        } finally {
            stack.stop();
        }
    }
}
