package io.vmport.loadtest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PBX's side of one SIP call over UDP, written by hand where SIPp cannot do it (a re-INVITE that moves the RTP
 * to a new address; an ACK with an SDP answer): INVITE, ACK, re-INVITE, BYE, and the responses read back. A BYE
 * from vmport is answered 200. One call per instance; not thread-safe.
 */
final class RawSipPhone implements AutoCloseable {
    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3})");
    private static final Pattern TO_TAG = Pattern.compile("(?im)^To:.*;tag=([^;\\s]+)");
    private static final Pattern CONTACT = Pattern.compile("(?im)^(?:Contact|m):\\s*<([^>]+)>");
    private static final Pattern CSEQ = Pattern.compile("(?im)^CSeq:\\s*(\\d+)\\s+(\\w+)");
    private static final long RESPONSE_TIMEOUT_MS = 10_000;

    private final DatagramSocket socket;
    private final InetSocketAddress trunk;
    private final String caller;
    private final String callId = "raw-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@127.0.0.1";
    private final String fromTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final List<String> received = new ArrayList<>();
    private String toTag;
    private String remoteTarget;
    private int cseq;
    private boolean byeReceived;

    RawSipPhone(InetSocketAddress trunk, String caller) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.trunk = trunk;
        this.caller = caller;
        this.remoteTarget = "sip:5000@" + trunk.getHostString() + ":" + trunk.getPort();
    }

    /** An SDP offer or answer for an audio stream at {@code host:port} with these formats and attributes. */
    static String sdp(String host, int port, String formats, String... attributes) {
        StringBuilder b = new StringBuilder("v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 ").append(host)
                .append("\r\nt=0 0\r\nm=audio ").append(port).append(" RTP/AVP ").append(formats).append("\r\n");
        for (String a : attributes) {
            b.append("a=").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** INVITE forwarded from {@code mailbox} (no answer), with {@code sdp} or none; returns the final response. */
    String invite(String mailbox, String sdp) throws IOException {
        cseq++;
        send("INVITE " + remoteTarget, "INVITE", "Diversion: <sip:" + mailbox + "@127.0.0.1>;reason=no-answer;counter=1\r\n",
                sdp);
        String ok = finalResponse("INVITE");
        Matcher tag = TO_TAG.matcher(ok);
        if (toTag == null && tag.find()) {
            toTag = tag.group(1);
        }
        Matcher contact = CONTACT.matcher(ok);
        if (contact.find()) {
            remoteTarget = contact.group(1);
        }
        return ok;
    }

    /** A re-INVITE in the dialog with {@code sdp}; returns the final response. */
    String reInvite(String sdp) throws IOException {
        cseq++;
        send("INVITE " + remoteTarget, "INVITE", "", sdp);
        return finalResponse("INVITE");
    }

    /** ACK for the 2xx of the last INVITE, with an SDP answer or none. */
    void ack(String sdp) throws IOException {
        send("ACK " + remoteTarget, "ACK", "", sdp);
    }

    /** BYE; returns its final response (or the 200 for vmport's own BYE if that crossed it). */
    String bye() throws IOException {
        cseq++;
        send("BYE " + remoteTarget, "BYE", "", null);
        return finalResponse("BYE");
    }

    /** Whether vmport sent BYE (answered 200 here) while this phone waited for a response. */
    boolean byeReceived() {
        return byeReceived;
    }

    /** The body of {@code message} (after the blank line). */
    static String body(String message) {
        int at = message.indexOf("\r\n\r\n");
        return at < 0 ? "" : message.substring(at + 4);
    }

    /** Every message received, for failure messages. */
    List<String> received() {
        return received;
    }

    private void send(String requestLine, String method, String extraHeaders, String sdp) throws IOException {
        int local = socket.getLocalPort();
        byte[] body = sdp == null ? new byte[0] : sdp.getBytes(StandardCharsets.US_ASCII);
        String message = requestLine + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";rport;branch=z9hG4bK"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\r\n"
                + "From: \"PBX\" <sip:" + caller + "@127.0.0.1:" + local + ">;tag=" + fromTag + "\r\n"
                + "To: <sip:5000@" + trunk.getHostString() + ":" + trunk.getPort() + ">"
                + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:" + caller + "@127.0.0.1:" + local + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + extraHeaders
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] head = message.getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = new byte[head.length + body.length];
        System.arraycopy(head, 0, datagram, 0, head.length);
        System.arraycopy(body, 0, datagram, head.length, body.length);
        socket.send(new DatagramPacket(datagram, datagram.length, trunk));
    }

    /** The first final response to {@code method} with this CSeq; provisional ones and vmport's BYE are handled. */
    private String finalResponse(String method) throws IOException {
        long deadlineNs = System.nanoTime() + RESPONSE_TIMEOUT_MS * 1_000_000;
        byte[] buf = new byte[65_535];
        while (System.nanoTime() < deadlineNs) {
            socket.setSoTimeout((int) Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            received.add(m);
            Matcher status = STATUS.matcher(m);
            Matcher seq = CSEQ.matcher(m);
            if (!seq.find()) {
                continue;
            }
            if (!status.find()) {
                if (m.startsWith("BYE ")) {
                    byeReceived = true;
                    answer(m, p);
                    if (method.equals("BYE")) {
                        return "SIP/2.0 200 (vmport's BYE crossed ours)";
                    }
                }
                continue;
            }
            int code = Integer.parseInt(status.group(1));
            if (code >= 200 && Integer.parseInt(seq.group(1)) == cseq && seq.group(2).equals(method)) {
                return m;
            }
        }
        throw new AssertionError("no final response to " + method + " (CSeq " + cseq + ") within "
                + RESPONSE_TIMEOUT_MS + " ms; received: " + received);
    }

    /** 200 OK to a request of vmport's (its BYE), echoing the headers that identify it. */
    private void answer(String request, DatagramPacket from) throws IOException {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("to:")
                    || lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
                b.append(line).append("\r\n");
            }
        }
        b.append("Content-Length: 0\r\n\r\n");
        byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(bytes, bytes.length, from.getSocketAddress()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
