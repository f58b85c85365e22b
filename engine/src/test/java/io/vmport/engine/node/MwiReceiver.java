package io.vmport.engine.node;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PBX's MWI receiver on a loopback UDP port: takes each NOTIFY, answers 200 (echoing Via, From, To, Call-ID,
 * CSeq) and tells which node's SIP port sent it. Retransmissions of a NOTIFY already seen are answered again and
 * not returned twice.
 */
final class MwiReceiver implements AutoCloseable {

    /** One NOTIFY: the SIP port that sent it, the Request-URI's user and the body. */
    record Notify(int fromPort, String extension, String body) {
    }

    private static final Pattern RURI = Pattern.compile("^NOTIFY sip:([^@]+)@");
    private final DatagramSocket socket;
    private final java.util.Set<String> seenCallIds = new java.util.HashSet<>();

    MwiReceiver() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next new NOTIFY within {@code timeoutMs}, or null when none came. */
    Notify next(long timeoutMs) throws IOException {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        byte[] buffer = new byte[8192];
        while (true) {
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return null;
            }
            socket.setSoTimeout((int) leftMs);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            Matcher ruri = RURI.matcher(text);
            if (!ruri.find()) {
                continue;
            }
            String head = text.substring(0, text.indexOf("\r\n\r\n"));
            StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
            for (String line : head.split("\r\n")) {
                String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
                if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("From") || name.equalsIgnoreCase("Call-ID")
                        || name.equalsIgnoreCase("CSeq")) {
                    ok.append(line).append("\r\n");
                } else if (name.equalsIgnoreCase("To")) {
                    ok.append(line).append(";tag=mwi-test\r\n");
                }
            }
            ok.append("Content-Length: 0\r\n\r\n");
            byte[] answer = ok.toString().getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            String callId = head.lines().filter(l -> l.regionMatches(true, 0, "Call-ID:", 0, 8)).findFirst()
                    .orElse("");
            if (seenCallIds.add(callId)) {
                return new Notify(packet.getPort(), ruri.group(1), text.substring(text.indexOf("\r\n\r\n") + 4));
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
