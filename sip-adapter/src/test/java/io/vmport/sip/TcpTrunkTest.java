package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CA-2 over TCP: a whole call on one connection, responses and the BYE on that same connection. */
class TcpTrunkTest {

    private interface OnConnection {
        void run(SipTrunk trunk, Socket socket, int port, TestListener listener) throws Exception;
    }

    /** A trunk that answers every call on RTP port 21000, and one TCP connection to it. */
    private static void withConnection(OnConnection test) throws Exception {
        TestListener listener = new TestListener();
        listener.policy = call -> call.answer(21_000);
        int port = TestPorts.freeUdpAndTcp();
        try (SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress),
                listener)) {
            trunk.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                test.run(trunk, socket, port, listener);
            }
        }
    }

    @Test
    void callOverTcpIsAnsweredWithATcpContactAndEnds() throws Exception {
        withConnection((trunk, socket, port, listener) -> call(socket, port, listener));
    }

    /** BI-1 over TCP: a malformed INVITE gets 400 saying why, one with no readable Via is dropped, the line stays. */
    @Test
    void malformedInvitesOverTcpAre400OrDroppedAndTheConnectionCarriesTheNextCall() throws Exception {
        withConnection((trunk, socket, port, listener) -> {
            socket.setSoTimeout(200);
            String local = "127.0.0.1:" + socket.getLocalPort();
            String invite = "INVITE sip:7000@127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP " + local + ";branch=z9hG4bK-tcp-bad\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:1001@127.0.0.1>;tag=tcpbad\r\nTo: <sip:7000@127.0.0.1>\r\n"
                    + "Call-ID: tcp-bad@127.0.0.1\r\nCall-ID: tcp-other@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
                    + "Contact: <sip:1001@" + local + ";transport=tcp>\r\nContent-Length: 0\r\n\r\n";
            send(socket, invite);
            Reader reader = new Reader(socket.getInputStream());
            SipText bad = reader.until(SipText::isResponse);
            assertEquals("SIP/2.0 400 Duplicate Call-ID header", bad.firstLine(), bad.toString());
            long dropped = trunk.counters().malformedDropped();
            send(socket, invite.replace("Via: SIP/2.0/TCP ", "Via: SIP/2.0/TCP ;").replace("tcp-other", "tcp-x"));
            call(socket, port, listener);
            assertEquals(dropped + 1, trunk.counters().malformedDropped());
            assertEquals(1, trunk.counters().offered(), "only the valid INVITE reached the engine");
        });
    }

    private static void call(Socket socket, int port, TestListener listener) throws Exception {
        {
            socket.setSoTimeout(200);
            String local = "127.0.0.1:" + socket.getLocalPort();
            String sdp = RawPbx.SDP_PCMU;
            String common = "Max-Forwards: 70\r\nFrom: <sip:1001@127.0.0.1>;tag=tcp1\r\n"
                    + "Call-ID: tcp-call-1@127.0.0.1\r\nContact: <sip:1001@" + local + ";transport=tcp>\r\n";
            send(socket, "INVITE sip:7000@127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP " + local + ";branch=z9hG4bK-tcp-1\r\n" + common
                    + "To: <sip:7000@127.0.0.1>\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n"
                    + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
            Reader reader = new Reader(socket.getInputStream());
            SipText ok = reader.until(m -> m.isResponse() && m.status() == 200);
            assertTrue(ok.header("Contact").contains("transport=tcp"), ok.toString());
            assertTrue(ok.body().contains("m=audio 21000 RTP/AVP 0 101"), ok.body());
            assertEquals(SipTransport.TCP, TestListener.next(listener.invites, "onInvite").transport());

            String inDialog = "Via: SIP/2.0/TCP " + local + ";branch=z9hG4bK-tcp-%d\r\n" + common
                    + "To: <sip:7000@127.0.0.1>;tag=" + ok.toTag() + "\r\nCSeq: %d %s\r\nContent-Length: 0\r\n\r\n";
            send(socket, "ACK sip:127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n" + inDialog.formatted(2, 1, "ACK"));
            TestListener.next(listener.connected, "onConnected");
            send(socket, "BYE sip:127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n" + inDialog.formatted(3, 2, "BYE"));
            SipText byeOk = reader.until(m -> m.isResponse() && m.method().equals("BYE"));
            assertEquals(200, byeOk.status());
            assertEquals(EndReason.REMOTE_BYE, TestListener.next(listener.ended, "onEnded").reason());
        }
    }

    private static void send(Socket socket, String message) throws IOException {
        socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Splits the TCP byte stream into SIP messages by Content-Length. */
    private static final class Reader {
        private final InputStream in;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Reader(InputStream in) {
            this.in = in;
        }

        SipText until(java.util.function.Predicate<SipText> match) throws IOException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            byte[] buffer = new byte[8192];
            while (System.nanoTime() < deadline) {
                SipText next = next();
                if (next != null) {
                    if (match.test(next)) {
                        return next;
                    }
                    continue;
                }
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        throw new AssertionError("trunk closed the connection");
                    }
                    pending.write(buffer, 0, n);
                } catch (SocketTimeoutException e) {
                    // poll again until the deadline
                }
            }
            throw new AssertionError("no matching message over TCP within 10 s; pending " + pending);
        }

        private SipText next() {
            String text = pending.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                return null;
            }
            SipText head = SipText.parse(text.substring(0, headEnd));
            String length = head.header("Content-Length");
            int total = headEnd + 4 + (length == null ? 0 : Integer.parseInt(length));
            if (text.length() < total) {
                return null;
            }
            byte[] rest = text.substring(total).getBytes(StandardCharsets.UTF_8);
            pending.reset();
            pending.write(rest, 0, rest.length);
            return SipText.parse(text.substring(0, total));
        }
    }
}
