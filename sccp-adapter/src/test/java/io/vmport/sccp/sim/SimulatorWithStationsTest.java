package io.vmport.sccp.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.vmport.config.testing.Poll;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.station.IncomingCall;
import io.vmport.sccp.station.SccpStations;
import io.vmport.sccp.station.StationListener;
import io.vmport.sccp.station.StationSession;
import io.vmport.sccp.station.StationSettings;
import io.vmport.sccp.station.StationState;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Station sessions against the phone-system simulator over loopback TCP (SPEC CA-3, CA-4, section 3). */
class SimulatorWithStationsTest {
    static final StationSettings STATION = new StationSettings(2_000, 1_000, 50, 400, 2, 16384);

    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final List<StationSession> sessions = new ArrayList<>();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private PhoneSystemSimulator sim;
    private InetSocketAddress firstAddress;
    private boolean simMedia = true;

    /** Answers every call, except on devices in {@code silent}. */
    private final StationListener answering = new StationListener() {
        public void registered(StationSession s) {
        }

        public void unregistered(StationSession s, String reason) {
        }

        public void ringing(StationSession s, IncomingCall call) {
            if (!silent.contains(s.deviceName())) {
                s.answer(call.callReference());
            }
        }

        public void callEnded(StationSession s, int callReference, String reason) {
        }
    };

    @AfterEach
    void tearDown() {
        sessions.forEach(StationSession::stop);
        if (sim != null) {
            sim.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static List<String> names(String prefix, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(String.format("%s-%04d", prefix, i));
        }
        return names;
    }

    private void startAll(int perServer, long ringTimeoutMs, long holdTimeMs) throws Exception {
        List<String> sub = names("VMP-SUB", perServer);
        List<String> pub = names("VMP-PUB", perServer);
        sim = new PhoneSystemSimulator(new SimSettings(30, ringTimeoutMs, holdTimeMs, SkinnyCodec.DEFAULT_MAX_LENGTH,
                simMedia), PhoneSystemSimulator.subscriberFirst(sub, pub));
        InetSocketAddress at = sim.start(new InetSocketAddress("127.0.0.1", 0));
        firstAddress = at;
        SccpStations stations = new SccpStations(group, at, STATION, SkinnyCodec.DEFAULT_MAX_LENGTH);
        for (String name : sub) {
            sessions.add(stations.create(name, answering));
        }
        for (String name : pub) {
            sessions.add(stations.create(name, answering));
        }
        sessions.forEach(StationSession::start);
        Poll.await("all " + 2 * perServer + " devices registered, on both ends", 10_000,
                () -> sim.registeredCount() == 2 * perServer
                        && sessions.stream().allMatch(s -> s.state() == StationState.REGISTERED),
                () -> sim.counts().toString());
    }

    private StationSession session(String name) {
        return sessions.stream().filter(s -> s.deviceName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void ca3TwoTimesFiftyDevicesRegisterAndTheSubscriberAnswersFirst() throws Exception {
        startAll(50, 2_000, 0);
        assertTrue(sessions.stream().allMatch(s -> s.state() == StationState.REGISTERED));

        CallOutcome first = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
        assertEquals(new CallOutcome(true, "VMP-SUB-0001", "subscriber", 1, "answered"), first);
        Poll.await("the device is in the call", 2_000,
                () -> session("VMP-SUB-0001").state() == StationState.IN_CALL, session("VMP-SUB-0001")::toString);

        CallOutcome second = sim.offerCall("5551235", "8000").get(5, TimeUnit.SECONDS);
        assertEquals("VMP-SUB-0002", second.deviceName(), "the hunt skips the busy device");
        SimCounts counts = sim.counts();
        assertEquals(2, counts.answeredBy("subscriber"));
        assertEquals(0, counts.answeredBy("publisher"));
        assertEquals(100, counts.registered());
    }

    @Test
    void ca3AnsweredCallIsHungUpAfterTheHoldTimeAndTheDeviceIsIdleAgain() throws Exception {
        startAll(1, 2_000, 100);
        CallOutcome outcome = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
        assertTrue(outcome.answered());
        Poll.await("call ended by the caller", 5_000, () -> sim.counts().ended() == 1, () -> sim.counts().toString());
        Poll.await("device idle again", 2_000, () -> session("VMP-SUB-0001").state() == StationState.REGISTERED,
                session("VMP-SUB-0001")::toString);
        assertEquals("VMP-SUB-0001", sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS).deviceName());
    }

    @Test
    void md1DeviceWithoutMediaOfItsOwnIsSentNoRtp() throws Exception {
        startAll(1, 2_000, 100);
        assertTrue(sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS).answered());
        Poll.await("call ended by the caller", 5_000, () -> sim.counts().ended() == 1, () -> sim.counts().toString());
        SimCounts withMedia = sim.counts();
        assertEquals(1, withMedia.mediaOpened(), "the device acknowledged with StationSettings.mediaPort");
        assertEquals(0, withMedia.rtpPacketsSent(), "nothing sent to a port from which no RTP came");
        assertEquals(0, withMedia.mediaSocketsOpen(), "the caller-side port closed at hang-up");
    }

    @Test
    void md1MediaOffSendsNoMediaMessages() throws Exception {
        simMedia = false;
        startAll(1, 2_000, 100);
        assertTrue(sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS).answered());
        Poll.await("call ended by the caller", 5_000, () -> sim.counts().ended() == 1, () -> sim.counts().toString());
        assertEquals(0, sim.counts().mediaOpened(), "media off: no OpenReceiveChannel, so no Ack");
    }

    @Test
    void ca4HuntMovesPastAnUnregisteredDeviceAndBackAfterRegister() throws Exception {
        startAll(2, 2_000, 0);
        StationSession sub1 = session("VMP-SUB-0001");
        sub1.unregister();
        Poll.await("VMP-SUB-0001 unregistered", 2_000,
                () -> sub1.state() == StationState.UNREGISTERED && !sim.isRegistered("VMP-SUB-0001"),
                sub1::toString);

        CallOutcome outcome = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
        assertEquals("VMP-SUB-0002", outcome.deviceName());
        assertEquals(1, outcome.devicesRung(), "the unregistered device is not even rung");

        sub1.register();
        Poll.await("VMP-SUB-0001 registered again", 2_000, () -> sim.isRegistered("VMP-SUB-0001"), sub1::toString);
        assertEquals("VMP-SUB-0001", sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS).deviceName());
    }

    @Test
    void huntMovesOnWhenADeviceDoesNotAnswer() throws Exception {
        silent.add("VMP-SUB-0001");
        startAll(1, 200, 0);
        CallOutcome outcome = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
        assertEquals(new CallOutcome(true, "VMP-PUB-0001", "publisher", 2, "answered"), outcome);
        SimCounts counts = sim.counts();
        assertEquals(1, counts.notAnsweredBy("subscriber"));
        assertEquals(1, counts.answeredBy("publisher"));
        Poll.await("the silent device stopped ringing", 2_000,
                () -> session("VMP-SUB-0001").state() == StationState.REGISTERED, session("VMP-SUB-0001")::toString);
    }

    @Test
    void nobodyAnsweringLeavesTheCallUnanswered() throws Exception {
        silent.add("VMP-SUB-0001");
        silent.add("VMP-PUB-0001");
        startAll(1, 100, 0);
        CallOutcome outcome = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
        assertFalse(outcome.answered());
        assertEquals("no device answered", outcome.reason());
        assertEquals(2, outcome.devicesRung());
        assertEquals(1, sim.counts().unanswered());
    }

    @Test
    void ca3StationReRegistersWithBackoffWhenThePhoneSystemRestarts() throws Exception {
        startAll(1, 2_000, 0);
        StationSession sub1 = session("VMP-SUB-0001");
        sim.close();
        Poll.await("the device noticed the drop", 2_000, () -> sub1.state() != StationState.REGISTERED,
                sub1::toString);
        sim = new PhoneSystemSimulator(new SimSettings(30, 2_000, 0, SkinnyCodec.DEFAULT_MAX_LENGTH),
                PhoneSystemSimulator.subscriberFirst(List.of("VMP-SUB-0001"), List.of("VMP-PUB-0001")));
        sim.start(firstAddress); // the same address: the stations know no other

        Poll.await("both devices registered again, on both ends", 5_000,
                () -> sim.registeredCount() == 2 && sub1.state() == StationState.REGISTERED, sub1::toString);
    }

    @Test
    void bi2ABadFrameClosesOnlyThatConnectionAndTheOtherDevicesGoOn() throws Exception {
        startAll(2, 2_000, 0);
        try (Socket raw = new Socket(firstAddress.getAddress(), firstAddress.getPort())) {
            raw.setSoTimeout(5_000);
            // length 0x7fffffff: far past the maximum frame
            raw.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0, 0, 1, 0, 0,
                    0});
            raw.getOutputStream().flush();
            assertEquals(-1, raw.getInputStream().read(), "the simulator closed the bad connection");
        }
        assertEquals(4, sim.registeredCount(), "the other devices stay registered");
        assertTrue(sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS).answered());
    }

    @Test
    void badHuntListsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PhoneSystemSimulator(new SimSettings(30, 100, 0, 4096),
                        List.of(new HuntEntry("A", "publisher"), new HuntEntry("A", "subscriber"))));
        assertEquals("device A is twice in the hunt list", e.getMessage());
    }
}
