package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** An answer the PBX never acknowledges ends the call (the port is freed) and the trunk sends BYE. */
class NoAckTest {

    @Test
    void unacknowledgedAnswerEndsWithNoAckAndBye() throws Exception {
        TestListener listener = new TestListener();
        listener.policy = call -> call.answer(22_000);
        int port = TestPorts.freeUdpAndTcp();
        Properties fast = new Properties();
        // the stack gives up on the ACK after this many 500 ms ticks (64 by default, as RFC 3261's 64*T1)
        fast.setProperty("gov.nist.javax.sip.DIALOG_TIMEOUT_FACTOR", "2");
        try (SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress),
                listener, fast); RawPbx pbx = new RawPbx(port)) {
            trunk.start();
            RawPbx.Call c = pbx.new Call();
            pbx.send(c.invite(null, RawPbx.SDP_PCMU));
            pbx.awaitResponse(200, "INVITE"); // and no ACK
            TestListener.Ended ended = TestListener.next(listener.ended, "onEnded");
            assertEquals(EndReason.NO_ACK, ended.reason());
            SipText bye = pbx.awaitRequest("BYE");
            assertEquals(c.callId, bye.header("Call-ID"));
            pbx.send(pbx.respond(bye, 200, "OK"));
            assertNull(listener.connected.poll());
            assertEquals(0, trunk.counters().activeCalls());
        }
    }
}
