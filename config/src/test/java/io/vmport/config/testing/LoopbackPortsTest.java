package io.vmport.config.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tests' ports stay out of the kernel's ephemeral range, where an outgoing connection could take one between the
 * pick and the listener's bind (a node failing to start with "Address already in use"), and one layout's ports differ.
 */
class LoopbackPortsTest {

    @Test
    void picksAreBelowTheEphemeralRangeDistinctAndBindable() throws Exception {
        int ephemeralFrom = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0).trim().split("\\s+")[0]);
        InetAddress lo = InetAddress.getLoopbackAddress();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = i % 2 == 0 ? LoopbackPorts.freeTcp() : LoopbackPorts.freeUdpAndTcp();
            assertTrue(port >= LoopbackPorts.FIRST_PORT && port < ephemeralFrom,
                    port + " outside " + LoopbackPorts.FIRST_PORT + ".." + (ephemeralFrom - 1));
            seen.add(port);
            if (i % 2 == 1) {
                try (ServerSocket tcp = new ServerSocket(port, 1, lo);
                     DatagramSocket udp = new DatagramSocket(port, lo)) {
                    assertEquals(port, udp.getLocalPort());
                }
            }
        }
        assertEquals(200, seen.size(), "no port handed out twice");
    }
}
