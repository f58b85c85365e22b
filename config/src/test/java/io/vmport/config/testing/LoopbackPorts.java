package io.vmport.config.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on the loopback address for tests that start real listeners. Shared through the test-jar.
 *
 * <p>Ports are picked between {@value #FIRST_PORT} and the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768 and up by default), above the nodes' default RTP range
 * (20000 to 29999). A port the kernel hands out as free (port 0) is an ephemeral one: between the test taking it and
 * a node binding it, any outgoing connection (a database pool filling, a peer link) may take it as its source port,
 * and the node then fails to start with "Address already in use" (seen in CI: a subscriber's admin port). The last
 * {@value #REMEMBERED} ports handed out are not handed out again, so the ports of one layout differ.
 */
public final class LoopbackPorts {
    static final int FIRST_PORT = 30_000;
    private static final int REMEMBERED = 1_000;
    private static final int ATTEMPTS = 500;
    /** The first ephemeral port; the picks stay below it. */
    private static final int EPHEMERAL_FROM = ephemeralFrom();
    private static final Set<Integer> handedOut = new HashSet<>();
    private static final ArrayDeque<Integer> handedOutOrder = new ArrayDeque<>();

    private LoopbackPorts() {
    }

    /** A port free for TCP. */
    public static int freeTcp() throws IOException {
        return pick(false);
    }

    /** A port free for both UDP and TCP, as a SIP listener needs. */
    public static int freeUdpAndTcp() throws IOException {
        return pick(true);
    }

    private static synchronized int pick(boolean udpToo) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        if (EPHEMERAL_FROM - FIRST_PORT < 2 * REMEMBERED) {
            return kernelPick(lo, udpToo); // an unusual ephemeral range: no room below it
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, EPHEMERAL_FROM);
            if (!handedOut.contains(port) && free(lo, port, udpToo)) {
                remember(port);
                return port;
            }
        }
        throw new IOException("no port free for " + (udpToo ? "UDP and TCP" : "TCP") + " on " + lo + " from "
                + FIRST_PORT + " to " + (EPHEMERAL_FROM - 1) + " in " + ATTEMPTS + " attempts");
    }

    private static boolean free(InetAddress lo, int port, boolean udpToo) {
        try (ServerSocket tcp = new ServerSocket(port, 1, lo)) {
            if (udpToo) {
                try (DatagramSocket udp = new DatagramSocket(port, lo)) {
                    return true;
                }
            }
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static void remember(int port) {
        handedOut.add(port);
        handedOutOrder.addLast(port);
        if (handedOutOrder.size() > REMEMBERED) {
            handedOut.remove(handedOutOrder.removeFirst());
        }
    }

    /** The kernel's choice (an ephemeral port), for a machine whose ephemeral range leaves no room below it. */
    private static int kernelPick(InetAddress lo, boolean udpToo) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, lo)) {
                int port = udp.getLocalPort();
                udp.close();
                if (free(lo, port, udpToo)) {
                    return port;
                }
            }
        }
        throw new IOException("no port free for " + (udpToo ? "UDP and TCP" : "TCP") + " on " + lo);
    }

    private static int ephemeralFrom() {
        try {
            // read by lines: Files.readString of this /proc file returned only its first byte here
            String line = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
            String[] range = line.trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }
}
