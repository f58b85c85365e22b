package io.vmport.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A PBX made of raw UDP datagrams, for the cases SIPp cannot send (garbage, missing headers) and for exact
 * assertions on each response. Builds requests from templates; reads whatever arrives, in order.
 */
final class RawPbx implements AutoCloseable {

    static final String SDP_PCMU = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";
    static final String SDP_PCMA_FIRST = "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 40000 RTP/AVP 18 8 0\r\n";

    private static final AtomicInteger SEQ = new AtomicInteger();

    final DatagramSocket socket;
    final int trunkPort;
    final String local;
    final List<SipText> received = new ArrayList<>();

    RawPbx(int trunkPort) throws IOException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.trunkPort = trunkPort;
        this.local = "127.0.0.1:" + socket.getLocalPort();
    }

    /** A new call's identifiers. */
    final class Call {
        final String callId = "raw-" + SEQ.incrementAndGet() + "@127.0.0.1";
        final String fromTag = "ft" + SEQ.incrementAndGet();
        final String inviteBranch = branch();
        String user = "7000";
        /** Request-URI parameters of the INVITE, e.g. {@code ";x-vmport-redirected"}. */
        String uriParams = "";
        String toTag;
        int cseq = 1;

        String invite(String extraHeaders, String sdp) {
            String body = sdp == null ? "" : sdp;
            return "INVITE sip:" + user + "@127.0.0.1:" + trunkPort + uriParams + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";branch=" + inviteBranch + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: \"Alice\" <sip:1001@127.0.0.1>;tag=" + fromTag + "\r\n"
                    + "To: <sip:" + user + "@127.0.0.1:" + trunkPort + ">\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:1001@" + local + ">\r\n"
                    + (extraHeaders == null ? "" : extraHeaders)
                    + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        }

        /** A request in the dialog (ACK for 2xx, BYE, re-INVITE) after the To tag is known. */
        String inDialog(String method, int seq, String sdp) {
            String body = sdp == null ? "" : sdp;
            return method + " sip:127.0.0.1:" + trunkPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";branch=" + branch() + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: \"Alice\" <sip:1001@127.0.0.1>;tag=" + fromTag + "\r\n"
                    + "To: <sip:" + user + "@127.0.0.1:" + trunkPort + ">;tag=" + toTag + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + seq + " " + method + "\r\n"
                    + "Contact: <sip:1001@" + local + ">\r\n"
                    + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        }

        /** CANCEL, or ACK for a non-2xx final response: same branch as the INVITE. */
        String sameTransaction(String method, String toTagOrNull) {
            return method + " sip:" + user + "@127.0.0.1:" + trunkPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";branch=" + inviteBranch + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: \"Alice\" <sip:1001@127.0.0.1>;tag=" + fromTag + "\r\n"
                    + "To: <sip:" + user + "@127.0.0.1:" + trunkPort + ">"
                    + (toTagOrNull == null ? "" : ";tag=" + toTagOrNull) + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 " + method + "\r\n"
                    + "Content-Length: 0\r\n\r\n";
        }
    }

    static String branch() {
        return "z9hG4bK-raw-" + SEQ.incrementAndGet();
    }

    /** OPTIONS outside any dialog. */
    String options() {
        return "OPTIONS sip:127.0.0.1:" + trunkPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=" + branch() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:pbx@127.0.0.1>;tag=o" + SEQ.incrementAndGet() + "\r\n"
                + "To: <sip:127.0.0.1:" + trunkPort + ">\r\n"
                + "Call-ID: opt-" + SEQ.incrementAndGet() + "@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    void send(String message) throws IOException {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), trunkPort));
    }

    /** The next message that matches, within 10 s; messages skipped on the way stay in {@link #received}. */
    SipText await(Predicate<SipText> match, String what) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        byte[] buffer = new byte[65_536];
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                throw new AssertionError("no " + what + " within 10 s; received " + received);
            }
            socket.setSoTimeout((int) Math.max(1, leftMs));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            }
            SipText message = SipText.parse(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            received.add(message);
            if (match.test(message)) {
                return message;
            }
        }
    }

    SipText awaitResponse(int status, String method) throws IOException {
        return await(m -> m.isResponse() && m.status() == status && m.method().equals(method),
                status + " for " + method);
    }

    SipText awaitFinal(String method) throws IOException {
        return await(m -> m.isResponse() && m.status() >= 200 && m.method().equals(method), "final response to " + method);
    }

    SipText awaitRequest(String method) throws IOException {
        return await(m -> !m.isResponse() && m.method().equals(method), method + " request");
    }

    /** Receives for {@code ms} and returns what arrived; for asserting that nothing (more) comes. */
    List<SipText> drain(int ms) throws IOException {
        List<SipText> got = new ArrayList<>();
        long deadline = System.nanoTime() + ms * 1_000_000L;
        byte[] buffer = new byte[65_536];
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return got;
            }
            socket.setSoTimeout((int) Math.max(1, leftMs));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return got;
            }
            SipText m = SipText.parse(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            received.add(m);
            got.add(m);
        }
    }

    /** A response to a request the trunk sent (e.g. 200 for its BYE), echoing its Via, From, To, Call-ID, CSeq. */
    String respond(SipText request, int status, String reason) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (String h : request.headers()) {
            String name = h.substring(0, h.indexOf(':')).trim();
            if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("From") || name.equalsIgnoreCase("To")
                    || name.equalsIgnoreCase("Call-ID") || name.equalsIgnoreCase("CSeq")) {
                b.append(h).append("\r\n");
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
