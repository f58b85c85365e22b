package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MWI NOTIFY client transactions kept outside the stack (MW-2 needs a final answer or "no answer" once per
 * NOTIFY): Timer E retransmission, Timer F, answers matched by branch. Two loopback sockets, no SIP stack.
 */
class NotifyTransactionsTest {

    private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
    private DatagramSocket trunk;
    private DatagramSocket pbx;
    private NotifyTransactions transactions;
    private InetSocketAddress pbxAddress;

    @BeforeEach
    void sockets() throws Exception {
        trunk = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        pbx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        pbx.setSoTimeout(5_000);
        pbxAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), pbx.getLocalPort());
        transactions = new NotifyTransactions(System::nanoTime);
        transactions.useSocket(trunk);
    }

    @AfterEach
    void close() {
        transactions.close();
        trunk.close();
        pbx.close();
    }

    private byte[] notify(long id) {
        return ("NOTIFY sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch="
                + transactions.branch(id) + "\r\nCall-ID: " + transactions.callId(id) + "\r\nCSeq: 1 NOTIFY\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] answer(long id, String statusLine) {
        return (statusLine + "\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=" + transactions.branch(id)
                + "\r\nCall-ID: " + transactions.callId(id) + "\r\nCSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private boolean consumed(byte[] datagram) {
        return transactions.consumedResponse(datagram, 0, datagram.length);
    }

    private byte[] received() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        pbx.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    /** MW-2: a NOTIFY not answered is sent again (Timer E) until its final answer, which is reported once. */
    @Test
    void mw2RetransmitsUntilTheFinalAnswerThenReportsItOnce() throws Exception {
        long id = transactions.newId();
        byte[] message = notify(id);
        transactions.start(id, message, pbxAddress, 20, (code, outcome) -> outcomes.add(code + "|" + outcome));
        assertArrayEquals(message, received(), "first copy");
        assertArrayEquals(message, received(), "Timer E: the same NOTIFY again after T1");
        assertTrue(consumed(answer(id, "SIP/2.0 100 Trying")), "a provisional answer is taken");
        assertNull(outcomes.poll(50, TimeUnit.MILLISECONDS), "no outcome for a provisional answer");
        assertTrue(consumed(answer(id, "SIP/2.0 403 Forbidden here")));
        assertEquals("403|403 Forbidden here", outcomes.poll(5, TimeUnit.SECONDS));
        assertTrue(consumed(answer(id, "SIP/2.0 403 Forbidden here")), "a retransmitted answer is dropped");
        assertEquals(0, transactions.inFlight(), "nothing kept once answered");
        assertNull(outcomes.poll(200, TimeUnit.MILLISECONDS), "reported once");
    }

    /** MW-2: no answer at all is reported as "no answer" after 64 x T1 (Timer F), once. */
    @Test
    void mw2NoAnswerIsReportedAfterSixtyFourT1() throws Exception {
        long id = transactions.newId();
        long startNs = System.nanoTime();
        transactions.start(id, notify(id), pbxAddress, 5, (code, outcome) -> outcomes.add(code + "|" + outcome));
        assertEquals("0|no answer", outcomes.poll(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(64 * 5), "not before 64 x T1");
        assertEquals(0, transactions.inFlight());
        assertTrue(consumed(answer(id, "SIP/2.0 200 OK")), "a late answer is dropped");
        assertNull(outcomes.poll(100, TimeUnit.MILLISECONDS), "reported once");
    }

    /** Everything else on the trunk's socket goes on to the stack: requests, and answers to the stack's own. */
    @Test
    void otherDatagramsGoOnToTheStack() throws Exception {
        long id = transactions.newId();
        transactions.start(id, notify(id), pbxAddress, 500, (code, outcome) -> outcomes.add(code + "|" + outcome));
        assertFalse(consumed(notify(id)), "a request, even one naming the branch");
        assertFalse(consumed(("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK12345\r\n"
                + "CSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), "a BYE's 200");
        NotifyTransactions earlier = new NotifyTransactions(System::nanoTime);
        byte[] otherRun = ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=" + earlier.branch(id)
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        assertFalse(consumed(otherRun), "an answer to another run's NOTIFY");
        assertFalse(consumed("SIP/2.0".getBytes(StandardCharsets.US_ASCII)), "too short");
        assertEquals(1, transactions.inFlight());
        assertNull(outcomes.poll(50, TimeUnit.MILLISECONDS));
        assertTrue(consumed(answer(id, "SIP/2.0 200 OK")));
        assertEquals("200|200 OK", outcomes.poll(5, TimeUnit.SECONDS));
    }
}
