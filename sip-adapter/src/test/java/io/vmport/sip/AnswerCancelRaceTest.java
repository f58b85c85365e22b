package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine's answer (on its own thread) races the PBX's CANCEL: whichever wins, the PBX sees one coherent
 * outcome (200 or 487) and the engine exactly one onEnded with the matching reason.
 */
class AnswerCancelRaceTest {

    @Test
    void answerAndCancelNeverBothWin() throws Exception {
        TestListener listener = new TestListener();
        int port = TestPorts.freeUdpAndTcp();
        int answeredWins = 0;
        int cancelWins = 0;
        try (SipTrunk trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress),
                listener); RawPbx pbx = new RawPbx(port)) {
            trunk.start();
            for (int i = 0; i < 40; i++) {
                RawPbx.Call c = pbx.new Call();
                pbx.send(c.invite(null, RawPbx.SDP_PCMU));
                SipCall call = TestListener.next(listener.invites, "onInvite");
                CompletableFuture<Boolean> answered = CompletableFuture.supplyAsync(() -> call.answer(23_000));
                pbx.send(c.sameTransaction("CANCEL", null));
                SipText outcome = pbx.await(m -> m.isResponse() && m.method().equals("INVITE") && m.status() >= 200,
                        "final response to INVITE " + i);
                boolean answerWon = answered.get(10, TimeUnit.SECONDS);
                TestListener.Ended ended;
                if (outcome.status() == 200) {
                    assertEquals(true, answerWon, "200 sent but answer() said it lost, call " + i);
                    answeredWins++;
                    c.toTag = outcome.toTag();
                    pbx.send(c.inDialog("ACK", 1, null));
                    pbx.send(c.inDialog("BYE", 2, null));
                    pbx.awaitResponse(200, "BYE");
                    ended = TestListener.next(listener.ended, "onEnded");
                    assertEquals(EndReason.REMOTE_BYE, ended.reason());
                } else {
                    assertEquals(487, outcome.status());
                    assertEquals(false, answerWon, "487 sent but answer() said it won, call " + i);
                    cancelWins++;
                    pbx.send(c.sameTransaction("ACK", outcome.toTag()));
                    ended = TestListener.next(listener.ended, "onEnded");
                    assertEquals(EndReason.CANCELLED, ended.reason());
                }
                assertEquals(call, ended.call());
                listener.connected.clear();
            }
            assertNull(listener.ended.poll(), "a call ended twice");
            assertEquals(0, trunk.counters().activeCalls());
            assertEquals(40, answeredWins + cancelWins);
        }
    }
}
