package io.vmport.sccp.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vmport.sccp.codec.Skinny;
import io.vmport.sccp.codec.Skinny.CallInfo;
import io.vmport.sccp.codec.Skinny.CallState;
import io.vmport.sccp.codec.Skinny.KeepAlive;
import io.vmport.sccp.codec.Skinny.KeepAliveAck;
import io.vmport.sccp.codec.Skinny.OffHook;
import io.vmport.sccp.codec.Skinny.OnHook;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannel;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannelAck;
import io.vmport.sccp.codec.Skinny.Register;
import io.vmport.sccp.codec.Skinny.RegisterAck;
import io.vmport.sccp.codec.Skinny.RegisterReject;
import io.vmport.sccp.codec.Skinny.Unregister;
import io.vmport.sccp.codec.Skinny.UnregisterAck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One station session against a scripted phone system on {@link EmbeddedChannel}s, time stepped by hand
 * (SPEC CA-3, CA-4).
 */
class StationSessionTest {
    static final StationSettings SETTINGS = new StationSettings(5_000, 2_000, 500, 4_000, 2, 16384);
    static final int REF = 0x1234;

    /** Its event loop is the session's; its frozen clock is stepped by the test. */
    private EmbeddedChannel clock;
    private final List<EmbeddedChannel> connections = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private StationSession session;

    @BeforeEach
    void setUp() {
        clock = new EmbeddedChannel();
        clock.freezeTime();
        StationConnector connector = (ChannelHandler handler) -> {
            EmbeddedChannel ch = new EmbeddedChannel();
            connections.add(ch);
            ch.pipeline().addLast(handler);
            return ch.newSucceededFuture();
        };
        StationListener listener = new StationListener() {
            public void registered(StationSession s) {
                events.add("registered");
            }

            public void unregistered(StationSession s, String reason) {
                events.add("unregistered: " + reason);
            }

            public void ringing(StationSession s, IncomingCall call) {
                events.add("ringing " + call);
            }

            public void answered(StationSession s, int callReference) {
                events.add("answered " + callReference);
            }

            public void callEnded(StationSession s, int callReference, String reason) {
                events.add("ended " + callReference + ": " + reason);
            }
        };
        session = new StationSession("VMP-SUB-0001", SETTINGS, connector, clock.eventLoop(), listener);
    }

    private EmbeddedChannel conn() {
        return connections.get(connections.size() - 1);
    }

    private void advanceMs(long ms) {
        clock.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        clock.runScheduledPendingTasks();
    }

    private void registered() {
        session.start();
        Register reg = conn().readOutbound();
        assertEquals("VMP-SUB-0001", reg.deviceName());
        assertEquals(Skinny.DEVICE_TYPE_VOICE_MAIL_PORT, reg.deviceType());
        conn().writeInbound(new RegisterAck(30, "D/M/Y", 60, 0));
        assertEquals(StationState.REGISTERED, session.state());
        events.clear();
    }

    private void rung() {
        conn().writeInbound(new CallState(Skinny.CALL_STATE_RING_IN, 1, REF));
        assertEquals(StationState.REGISTERED, session.state(), "rings only once CallInfo is there too");
        conn().writeInbound(new CallInfo("Alice", "5551234", "8000", 1, REF, Skinny.CALL_TYPE_INBOUND, "2001", ""));
        assertEquals(StationState.RINGING, session.state());
    }

    @Test
    void ca3RegistersAndKeepsAliveAtTheAckInterval() {
        session.start();
        assertEquals(StationState.REGISTERING, session.state());
        assertInstanceOf(Register.class, conn().readOutbound());
        conn().writeInbound(new RegisterAck(30, "D/M/Y", 60, 0));
        assertEquals(StationState.REGISTERED, session.state());
        assertEquals(List.of("registered"), events);

        advanceMs(29_999);
        assertNull(conn().readOutbound(), "no keep-alive before the interval");
        advanceMs(1);
        assertInstanceOf(KeepAlive.class, conn().readOutbound());
        conn().writeInbound(new KeepAliveAck());
        advanceMs(30_000);
        assertInstanceOf(KeepAlive.class, conn().readOutbound());
        advanceMs(30_000);
        assertInstanceOf(KeepAlive.class, conn().readOutbound());
        assertEquals(StationState.REGISTERED, session.state(), "one missed ack is tolerated");
        advanceMs(30_000);
        assertEquals(StationState.BACKING_OFF, session.state(), "two missed acks: the connection is dead");
        assertFalse(conn().isOpen());
        assertTrue(events.get(1).startsWith("unregistered: no KeepAliveAck for 2"), events.toString());
    }

    @Test
    void ca3RingingCallIsReportedAnsweredByOffHookAndEndedOnHook() {
        registered();
        rung();
        assertEquals(List.of("ringing IncomingCall[callReference=4660, lineInstance=1, calling=5551234,"
                + " callingName=Alice, called=8000, redirecting=2001]"), events);

        session.answer(REF);
        assertEquals(new OffHook(1, REF), conn().readOutbound());
        assertEquals(StationState.IN_CALL, session.state());

        conn().writeInbound(new CallState(Skinny.CALL_STATE_CONNECTED, 1, REF));
        conn().writeInbound(new OpenReceiveChannel(REF, 77, 20, 4, REF));
        OpenReceiveChannelAck ack = conn().readOutbound();
        assertEquals(0, ack.status());
        assertEquals(77, ack.passThruPartyId());
        assertEquals(REF, ack.callReference());
        assertEquals(16384, ack.port());

        session.hangUp(REF);
        assertEquals(new OnHook(1, REF), conn().readOutbound());
        assertEquals(StationState.REGISTERED, session.state());
        assertEquals(List.of("answered 4660", "ended 4660: on hook"), events.subList(1, events.size()));
    }

    @Test
    void callerHangingUpEndsTheCall() {
        registered();
        rung();
        session.answer(REF);
        conn().readOutbound();
        conn().writeInbound(new CallState(Skinny.CALL_STATE_ON_HOOK, 1, REF));
        assertEquals(StationState.REGISTERED, session.state());
        assertEquals("ended 4660: ended by the phone system", events.get(events.size() - 1));
    }

    @Test
    void answerOfACallNotRingingFailsAndIsReportedEnded() {
        registered();
        rung();
        events.clear();
        session.answer(REF + 1);
        assertNull(conn().readOutbound());
        assertEquals(StationState.RINGING, session.state());
        assertEquals(List.of("ended 4661: not ringing here any more when answered"), events);
    }

    @Test
    void answerAfterTheCallerGaveUpIsReportedEnded() {
        registered();
        rung();
        conn().writeInbound(new CallState(Skinny.CALL_STATE_ON_HOOK, 1, REF));
        session.answer(REF);
        assertNull(conn().readOutbound(), "no off hook for a call that is gone");
        assertEquals(List.of("ended 4660: ended by the phone system",
                "ended 4660: not ringing here any more when answered"), events.subList(1, events.size()));
    }

    @Test
    void ca4UnregisterTakesTheDeviceOutUntilRegisterAgain() {
        registered();
        session.unregister();
        assertEquals(new Unregister(0), conn().readOutbound());
        assertEquals(StationState.UNREGISTERING, session.state());
        conn().writeInbound(new UnregisterAck(0));
        assertEquals(StationState.UNREGISTERED, session.state());
        assertFalse(conn().isOpen());
        assertEquals(List.of("unregistered: unregistered on command"), events);

        advanceMs(120_000);
        assertEquals(1, connections.size(), "no reconnect while unregistered");

        session.register();
        assertEquals(2, connections.size());
        assertInstanceOf(Register.class, conn().readOutbound());
        conn().writeInbound(new RegisterAck(30, "D/M/Y", 60, 0));
        assertEquals(StationState.REGISTERED, session.state());
    }

    @Test
    void ca4UnregisterDuringACallWaitsForTheCallToEnd() {
        registered();
        rung();
        session.answer(REF);
        conn().readOutbound();
        session.unregister();
        assertNull(conn().readOutbound(), "the call in progress continues");
        assertEquals(StationState.IN_CALL, session.state());
        session.hangUp(REF);
        assertEquals(new OnHook(1, REF), conn().readOutbound());
        assertEquals(new Unregister(0), conn().readOutbound());
        assertEquals(StationState.UNREGISTERING, session.state());
    }

    @Test
    void unregisterWithoutAckClosesAfterTheTimeout() {
        registered();
        session.unregister();
        advanceMs(1_999);
        assertEquals(StationState.UNREGISTERING, session.state());
        advanceMs(1);
        assertEquals(StationState.UNREGISTERED, session.state());
        assertTrue(session.reason().startsWith("no UnregisterAck within 2000 ms"), session.reason());
    }

    @Test
    void droppedConnectionReconnectsWithDoublingBackoff() {
        registered();
        rung();
        events.clear();
        conn().close();
        assertEquals(StationState.BACKING_OFF, session.state());
        assertEquals(List.of("ended 4660: connection lost", "unregistered: connection lost"), events);

        advanceMs(499);
        assertEquals(1, connections.size());
        advanceMs(1);
        assertEquals(2, connections.size(), "reconnects after 500 ms");
        assertInstanceOf(Register.class, conn().readOutbound());
        conn().writeInbound(new RegisterReject("no such device"));
        assertEquals(StationState.BACKING_OFF, session.state());
        assertTrue(session.reason().startsWith("registration rejected: no such device; connecting again in 1000 ms"),
                session.reason());
        advanceMs(999);
        assertEquals(2, connections.size());
        advanceMs(1);
        assertEquals(3, connections.size(), "then after 1000 ms");
        conn().writeInbound(new RegisterAck(30, "D/M/Y", 60, 0));
        assertEquals(StationState.REGISTERED, session.state());
    }

    @Test
    void silentPhoneSystemTimesOutTheRegistration() {
        session.start();
        advanceMs(5_000);
        assertEquals(StationState.BACKING_OFF, session.state());
        assertTrue(session.reason().startsWith("no RegisterAck within 5000 ms"), session.reason());
    }

    @Test
    void backoffIsCappedAtTheMaximum() {
        assertEquals(500, SETTINGS.backoffMs(1));
        assertEquals(1000, SETTINGS.backoffMs(2));
        assertEquals(4000, SETTINGS.backoffMs(4));
        assertEquals(4000, SETTINGS.backoffMs(30));
    }

    @Test
    void badSettingsAndNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StationSettings(5_000, 2_000, 500, 100, 2, 16384));
        assertEquals("backoffMaxMs 100; allowed: >= backoffInitialMs 500", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StationSession("VMPORT-subscriber-1", SETTINGS,
                h -> null, clock.eventLoop(), null));
    }

    @Test
    void stateMachineRefusesAChangeItDoesNotKnow() {
        assertFalse(StationState.STOPPED.mayBecome(StationState.IN_CALL));
        assertFalse(StationState.UNREGISTERED.mayBecome(StationState.REGISTERED));
        assertTrue(StationState.RINGING.mayBecome(StationState.IN_CALL));
    }
}
