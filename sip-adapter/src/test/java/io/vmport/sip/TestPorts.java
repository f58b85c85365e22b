package io.vmport.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on loopback for a trunk (UDP and TCP on the same number). */
final class TestPorts {

    private TestPorts() {
    }

    static int freeUdpAndTcp() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, lo)) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, lo)) {
                    return tcp.getLocalPort();
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + lo);
    }
}
