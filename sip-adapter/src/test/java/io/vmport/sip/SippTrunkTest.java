package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CA-2 with SIPp as the PBX, one scenario file per case under {@code src/test/resources/sipp/}. The engine
 * stand-in decides by the Request-URI user (SIPp's {@code -s}): answer, busy, unavailable, redirect, ring
 * (left pending, for CANCEL). Skipped without sipp, failed without it under CI=true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SippTrunkTest {

    private final TestListener listener = new TestListener();
    private final AtomicInteger rtpPorts = new AtomicInteger(30_000);
    private SipTrunk trunk;
    private int port;

    @TempDir
    Path work;

    @BeforeAll
    void start() throws Exception {
        Sipp.requireOrSkip();
        port = TestPorts.freeUdpAndTcp();
        trunk = new SipTrunk(SipTrunkSettings.of("127.0.0.1", port, InetAddress::isLoopbackAddress)
                .withRetryAfterSeconds(20), listener);
        trunk.start();
    }

    @AfterAll
    void stop() {
        if (trunk != null) {
            trunk.stop();
        }
    }

    @BeforeEach
    void engine() {
        listener.invites.clear();
        listener.connected.clear();
        listener.ended.clear();
        listener.takingCalls = true;
        listener.policy = call -> {
            switch (call.requestUriUser()) {
                case "answer" -> call.answer(rtpPorts.addAndGet(2));
                case "busy" -> call.refuse(Refusal.BUSY);
                case "unavailable" -> call.refuse(Refusal.NOT_TAKING_CALLS);
                case "redirect" -> call.redirect("<sip:" + call.called() + "@127.0.0.1:5062>");
                case "ring" -> { }
                default -> call.refuse(Refusal.FORBIDDEN);
            }
        };
    }

    private Sipp.Result sipp(String scenario, String transport, String service, int calls, int holdMs)
            throws Exception {
        Sipp.Result result = Sipp.run(scenario, port, transport, service, calls, holdMs, work);
        assertEquals(Sipp.ALL_CALLS_SUCCEEDED, result.exitCode(), result.toString());
        assertEquals(calls, result.successful(), result.toString());
        assertEquals(0, result.failed(), result.toString());
        return result;
    }

    @Test
    void basicCallsWithHoldTimeOverUdp() throws Exception {
        long answered = trunk.counters().answered();
        sipp("basic-call.xml", "u1", "answer", 5, 300);
        for (int i = 0; i < 5; i++) {
            SipCall call = TestListener.next(listener.invites, "onInvite");
            assertEquals("1001", call.caller());
            assertEquals("2002", call.redirecting());
            assertEquals(CallReason.FORWARDED_NO_ANSWER, call.reason());
            TestListener.next(listener.connected, "onConnected");
            assertEquals(EndReason.REMOTE_BYE, TestListener.next(listener.ended, "onEnded").reason());
        }
        assertEquals(answered + 5, trunk.counters().answered());
        assertEquals(0, trunk.counters().activeCalls());
    }

    @Test
    void basicCallsOverTcp() throws Exception {
        sipp("basic-call.xml", "t1", "answer", 3, 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(SipTransport.TCP, TestListener.next(listener.invites, "onInvite").transport());
            assertEquals(EndReason.REMOTE_BYE, TestListener.next(listener.ended, "onEnded").reason());
        }
    }

    @Test
    void cancelBeforeAnswer() throws Exception {
        long cancelled = trunk.counters().cancelled();
        sipp("cancel-before-answer.xml", "u1", "ring", 2, 0);
        for (int i = 0; i < 2; i++) {
            assertEquals(EndReason.CANCELLED, TestListener.next(listener.ended, "onEnded").reason());
        }
        assertEquals(cancelled + 2, trunk.counters().cancelled());
        assertNull(listener.connected.poll());
    }

    @Test
    void optionsProbeIs200WhileTakingCallsAnd503WhenNot() throws Exception {
        sipp("options-probe.xml", "u1", "probe", 1, 0);
        listener.takingCalls = false;
        sipp("options-not-taking-calls.xml", "u1", "probe", 1, 0);
    }

    @Test
    void refusedWith503AndRetryAfter() throws Exception {
        long before = trunk.counters().refused(503);
        sipp("refused-503.xml", "u1", "unavailable", 2, 0);
        assertEquals(before + 2, trunk.counters().refused(503));
    }

    @Test
    void busyIs486() throws Exception {
        long before = trunk.counters().refused(486);
        sipp("busy-486.xml", "u1", "busy", 2, 0);
        assertEquals(before + 2, trunk.counters().refused(486));
    }

    @Test
    void redirectIs302WithContact() throws Exception {
        long before = trunk.counters().redirected();
        sipp("redirect-302.xml", "u1", "redirect", 2, 0);
        assertEquals(before + 2, trunk.counters().redirected());
        assertTrue(trunk.counters().activeCalls() == 0);
    }
}
