package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.vmport.config.testing.LoopbackPorts;
import io.vmport.config.testing.Poll;
import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaPlane;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.media.MediaSettings;
import io.vmport.engine.media.RecordingEnd;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import io.vmport.sccp.sim.SimCounts;
import io.vmport.sccp.sim.SimSettings;
import io.vmport.sccp.station.IncomingCall;
import io.vmport.sccp.station.MediaEndpoint;
import io.vmport.sccp.station.MediaStart;
import io.vmport.sccp.station.SccpStations;
import io.vmport.sccp.station.StationListener;
import io.vmport.sccp.station.StationSession;
import io.vmport.sccp.station.StationSettings;
import io.vmport.sccp.station.StationState;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SCCP media on real sockets (SPEC MD-1, CA-3): a port device registered with the phone-system simulator answers a
 * call; OpenReceiveChannel opens a session of a real {@link MediaPlane} whose port goes into the Ack,
 * StartMediaTransmission connects it to the simulator's caller-side port, the session's 20 ms silence frames
 * reach the simulator and the simulator's reach the session, and the session closes when the call ends, whoever
 * ends it. The station listener here is {@code SccpBridge.Device}'s media part, without the pipeline.
 */
class SccpMediaTest {
    static final int PORT_INDEX = 3;
    static final StationSettings STATION = new StationSettings(2_000, 1_000, 50, 400, 2, 16384);

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final List<MediaSession> ready = new CopyOnWriteArrayList<>();
    private MediaPlane plane;
    private PhoneSystemSimulator sim;
    private StationSession station;
    private SccpMedia media;
    private volatile int callReference;

    @BeforeEach
    void setUp() throws Exception {
        usePlane(30_000, SccpMediaHook.NONE);
    }

    /** A plane of 10 sessions; the hook records each ready session, then does what {@code then} does. */
    private void usePlane(long mediaTimeoutMs, SccpMediaHook then) throws Exception {
        if (plane != null) {
            plane.close();
        }
        int first = LoopbackPorts.freeUdpAndTcp() & ~1; // a port another process holds is skipped by the plane
        plane = MediaPlane.start(new MediaSettings("127.0.0.1", first, Math.min(first + 19, 65535), 1,
                mediaTimeoutMs));
        MediaPlane running = plane;
        media = new SccpMedia(() -> running, (port, callId, session, incoming, hangUp) -> {
            assertEquals(PORT_INDEX, port);
            ready.add(session);
            return then.onMediaReady(port, callId, session, incoming, hangUp);
        }, PORT_INDEX);
    }

    @AfterEach
    void tearDown() {
        if (station != null) {
            station.stop();
        }
        if (sim != null) {
            sim.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        plane.close();
    }

    private void start(long holdTimeMs) throws Exception {
        sim = new PhoneSystemSimulator(new SimSettings(30, 2_000, holdTimeMs, SkinnyCodec.DEFAULT_MAX_LENGTH),
                PhoneSystemSimulator.subscriberFirst(List.of("sub-sccp-004"), List.of()));
        InetSocketAddress at = sim.start(new InetSocketAddress("127.0.0.1", 0));
        station = new SccpStations(group, at, STATION, SkinnyCodec.DEFAULT_MAX_LENGTH).create("sub-sccp-004",
                new StationListener() {
                    public void registered(StationSession s) {
                    }

                    public void unregistered(StationSession s, String reason) {
                    }

                    public void ringing(StationSession s, IncomingCall call) {
                        callReference = call.callReference();
                        s.answer(call.callReference());
                    }

                    public void callEnded(StationSession s, int ref, String reason) {
                        media.close(ref, reason);
                    }

                    public MediaEndpoint openMedia(StationSession s, int ref, int payload) {
                        return media.open(s, ref, "sub-sccp-004:" + ref, null);
                    }

                    public void startMedia(StationSession s, int ref, MediaStart start) {
                        media.start(ref, start);
                    }

                    public void closeMedia(StationSession s, int ref, String reason) {
                        media.close(ref, reason);
                    }
                });
        station.start();
        Poll.await("the device registered", 5_000, () -> sim.registeredCount() == 1, station::toString);
        assertTrue(sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS).answered());
    }

    private String describe() {
        return sim.counts() + "\n" + plane.counters().asMap() + "\n" + station;
    }

    @Test
    void md1AnsweredSccpCallGetsItsOwnRtpSessionBothWaysAndTheDeviceHangingUpClosesIt() throws Exception {
        start(0);
        Poll.await("OpenReceiveChannel acknowledged with the session's port, StartMediaTransmission connected it",
                5_000, () -> ready.size() == 1, this::describe);
        MediaSession session = ready.get(0);
        assertEquals("sub-sccp-004:" + callReference, session.callId());
        assertEquals(session, media.session());
        assertEquals(1, plane.counters().sessionsOpen());
        Poll.await("the session's silence frames reach the simulator's caller-side port, and its frames come back",
                5_000, () -> sim.counts().rtpPacketsReceived() >= 10 && plane.counters().packetsIn() >= 5,
                this::describe);
        assertEquals(0, plane.counters().wrongSource(), "the simulator sends from the port StartMedia named");
        SimCounts during = sim.counts();
        assertEquals(1, during.mediaOpened(), during.toString());
        assertEquals(0, during.mediaRefused(), during.toString());
        assertEquals(1, during.mediaSocketsOpen(), during.toString());

        station.hangUp(callReference);
        Poll.await("on hook closed the session and the simulator's caller-side port", 5_000,
                () -> plane.counters().sessionsOpen() == 0 && sim.counts().mediaSocketsOpen() == 0
                        && sim.counts().ended() == 1, this::describe);
        assertNull(media.session());
        assertEquals(StationState.REGISTERED, station.state(), "late Close/Stop after on hook do not drop the"
                + " connection");
    }

    @Test
    void md1CallerHangingUpClosesTheSessionThroughCloseReceiveChannel() throws Exception {
        start(400);
        Poll.await("media connected", 5_000, () -> ready.size() == 1, this::describe);
        assertNotNull(media.session());
        Poll.await("the caller hung up after 400 ms: session closed, device idle", 5_000,
                () -> plane.counters().sessionsOpen() == 0 && sim.counts().ended() == 1
                        && station.state() == StationState.REGISTERED, this::describe);
        assertNull(media.session());
        assertTrue(sim.counts().rtpPacketsReceived() > 0, describe());
    }

    @Test
    void md5NoRtpForTheMediaTimeoutPutsTheDeviceOnHook() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            // the session is sent elsewhere, so the simulator hears nothing and sends nothing back
            usePlane(300, (port, callId, session, incoming, hangUp) -> {
                session.connect((InetSocketAddress) sink.getLocalSocketAddress(), Codec.PCMU, -1);
                return null;
            });
            start(0);
            Poll.await("no RTP for 300 ms: the device went on hook and the session closed", 5_000,
                    () -> plane.counters().mediaTimeouts() == 1 && sim.counts().ended() == 1
                            && plane.counters().sessionsOpen() == 0 && station.state() == StationState.REGISTERED,
                    this::describe);
            assertEquals(0, sim.counts().dropped(), "on hook, not a lost connection");
        }
    }

    @Test
    void md1NoFreeRtpPortRefusesTheReceiveChannelAndTheCallGoesOn() throws Exception {
        int even = LoopbackPorts.freeUdpAndTcp() & ~1;
        MediaPlane full = MediaPlane.start(new MediaSettings("127.0.0.1", even, even + 1, 1, 30_000));
        try {
            full.open("holder", new Quiet()); // its one port taken (or held by another process)
        } catch (RuntimeException alreadyFull) {
            // the plane has no port either way
        }
        plane.close();
        plane = full;
        ready.clear();
        media = new SccpMedia(() -> full, SccpMediaHook.NONE, PORT_INDEX);
        start(0);
        Poll.await("the Ack refused the channel", 5_000, () -> sim.counts().mediaRefused() == 1, this::describe);
        assertEquals(StationState.IN_CALL, station.state(), "the call goes on without media");
        assertEquals(0, sim.counts().mediaSocketsOpen());
        assertNull(media.session());
    }

    /** A media listener for a session nobody talks to. */
    static final class Quiet implements MediaListener {
        public void onDigit(char digit, long nowNs) {
        }

        public void onPlaybackDone(long nowNs) {
        }

        public void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs) {
        }

        public void onMediaTimeout(long nowNs) {
        }
    }
}
