package io.vmport.engine.peer;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.peer.PeerTestKit.LogCapture;
import io.vmport.engine.peer.PeerTestKit.RawPeer;
import io.vmport.engine.peer.PeerTestKit.RecordingListener;
import io.vmport.engine.peer.PeerTestKit.SteppedClock;
import io.vmport.engine.peer.PeerTestKit.TestSource;
import io.vmport.engine.ports.PortState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static io.vmport.engine.peer.PeerTestKit.WAIT;
import static io.vmport.engine.peer.PeerTestKit.await;
import static io.vmport.engine.peer.PeerTestKit.none;
import static io.vmport.engine.peer.PeerTestKit.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two peer links over real TCP on 127.0.0.1 (SPEC ST-8, ST-11, PM-3). */
class PeerLinkTest {

    private static final long INTERVAL_MS = 20;
    /** Generous, so a loaded build machine causes no false silence; the silence tests take about this long. */
    private static final long TIMEOUT_MS = 1_000;
    /** What a raw peer, which sends no heartbeats of its own, asks the link to wait before it counts as silent. */
    private static final long RAW_PEER_TIMEOUT_MS = 60_000;

    private final List<PeerLink> links = new ArrayList<>();
    private final int pubPort = PeerTestKit.freePort();
    private final int subPort = PeerTestKit.freePort();

    private final RecordingListener pubEvents = new RecordingListener();
    private final RecordingListener subEvents = new RecordingListener();
    private final TestSource pubSource = new TestSource(ServerStatus.PRIMARY, 4);
    private final TestSource subSource = new TestSource(ServerStatus.SECONDARY, 4);

    @AfterEach
    void stopAll() {
        for (PeerLink l : links) {
            l.stop();
        }
    }

    private PeerLink link(ServerName self, RecordingListener events, TestSource source, long localMs, long remoteMs,
                          long actionTimeoutMs, LongSupplier clock) {
        int listen = self == PUBLISHER ? pubPort : subPort;
        int peer = self == PUBLISHER ? subPort : pubPort;
        PeerLink l = new PeerLink(PeerTestKit.config(self, listen, peer, INTERVAL_MS, localMs, remoteMs,
                actionTimeoutMs), events, source, clock);
        links.add(l);
        return l;
    }

    private PeerLink publisher() {
        return link(PUBLISHER, pubEvents, pubSource, TIMEOUT_MS, TIMEOUT_MS, 2_000, System::nanoTime);
    }

    private PeerLink subscriber(RecordingListener events) {
        return link(SUBSCRIBER, events, subSource, TIMEOUT_MS, TIMEOUT_MS, 2_000, System::nanoTime);
    }

    private void bothConnected(PeerLink pub, PeerLink sub) {
        take(pubEvents.connected, WAIT, "the publisher hears the subscriber's HELLO");
        take(subEvents.connected, WAIT, "the subscriber hears the publisher's HELLO");
        await("both links up", WAIT, () -> pub.connected() && sub.connected());
    }

    // ------------------------------------------------------------------ ST-11: HELLO and heartbeats

    @Test
    void st11_twoLinks_exchangeHelloAndHeartbeatsCarryingStatusEpochTakingCallsAndDeltas() {
        subSource.epoch = 9;
        subSource.primaryHolder = PUBLISHER;
        subSource.takingCalls = false;
        subSource.callsInProgress = 3;
        subSource.receiverStatus = ServerStatus.PRIMARY;
        subSource.deltas.add(PeerTestKit.delta(0, PortState.IN_CALL, "call-5"));
        subSource.deltas.add(PeerTestKit.delta(7, PortState.DRAINING, "call-2"));
        PeerLink pub = publisher();
        PeerLink sub = link(SUBSCRIBER, subEvents, subSource, TIMEOUT_MS, 1_500, 2_000, System::nanoTime);
        pub.start();
        sub.start();

        PeerHello hello = take(pubEvents.connected, WAIT, "the subscriber's HELLO");
        assertEquals(SUBSCRIBER, hello.sender());
        assertEquals(9, hello.epoch());
        assertEquals(1_500, hello.remoteHeartbeatTimeoutMs(), "ST-11: the remote timeout travels in HELLO");
        assertEquals(PUBLISHER, take(subEvents.connected, WAIT, "the publisher's HELLO").sender());
        assertEquals(1_500, pub.silenceTimeoutMs(), "ST-11: waits the longer of local 1000 and the 1500 asked");
        assertEquals(TIMEOUT_MS, sub.silenceTimeoutMs());

        PeerHeartbeat withDeltas = null;
        while (withDeltas == null) {
            PeerHeartbeat hb = take(pubEvents.heartbeats, WAIT, "a heartbeat with the deltas");
            if (!hb.content().deltas().isEmpty()) {
                withDeltas = hb;
            }
        }
        HeartbeatContent c = withDeltas.content();
        assertEquals(SUBSCRIBER, withDeltas.sender());
        assertEquals(ServerStatus.SECONDARY, c.status());
        assertEquals(9, c.epoch());
        assertEquals(PUBLISHER, c.primaryHolder());
        assertFalse(c.takingCalls());
        assertEquals(3, c.callsInProgress());
        assertEquals(ServerStatus.PRIMARY, c.receiverStatus());
        assertEquals(List.of(PeerTestKit.delta(0, PortState.IN_CALL, "call-5"), PeerTestKit.delta(7, PortState.DRAINING, "call-2")),
                c.deltas());

        PeerHeartbeat next = take(pubEvents.heartbeats, WAIT, "the next heartbeat");
        assertTrue(next.sequence() > withDeltas.sequence(), "numbered upwards");
        assertTrue(next.content().deltas().isEmpty(), "each delta is sent once");
        assertEquals(ServerStatus.PRIMARY, take(subEvents.heartbeats, WAIT, "the publisher's heartbeat")
                .content().status());

        await("counters move", WAIT, () -> pub.heartbeatsReceived() >= 2 && sub.heartbeatsSent() >= 2
                && pub.heartbeatsSent() >= 1 && sub.heartbeatsReceived() >= 1);
        assertNotEquals(PeerLink.NEVER, pub.lastHeartbeatNs());
        assertEquals(0, pub.reconnects());
        assertEquals(0, pub.malformedFrames() + sub.malformedFrames());
        assertTrue(pubEvents.disconnected.isEmpty() && subEvents.disconnected.isEmpty());
    }

    @Test
    void st11_heartbeatTrace_logsEverySentAndReceivedHeartbeat() {
        PeerLink pub = publisher();
        PeerLink sub = subscriber(subEvents);
        try (LogCapture logs = new LogCapture(PeerSession.class)) {
            pub.setHeartbeatTrace(true);
            pub.start();
            sub.start();
            bothConnected(pub, sub);
            await("traced heartbeats", WAIT, () -> {
                List<String> info = new ArrayList<>();
                synchronized (logs.appender) {
                    logs.appender.list.forEach(e -> info.add(e.getFormattedMessage()));
                }
                return info.stream().anyMatch(m -> m.startsWith("peer link: sent heartbeat #"))
                        && info.stream().anyMatch(m -> m.startsWith("peer link: received heartbeat #"));
            });
        }
    }

    // ------------------------------------------------------------------ ST-8: losing and finding the peer

    @Test
    void st8_stoppedPeer_isReportedDisconnectedWithinTheTimeout_andReconnectsWhenRestarted() {
        PeerLink pub = publisher();
        PeerLink sub = subscriber(subEvents);
        pub.start();
        sub.start();
        bothConnected(pub, sub);

        long stoppedAt = System.nanoTime();
        sub.stop();
        String reason = take(pubEvents.disconnected, Duration.ofMillis(TIMEOUT_MS + 2_000), "the publisher notices");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt) < TIMEOUT_MS + 2_000);
        assertTrue(reason.contains("link stopped"), "the peer said goodbye: " + reason);
        assertFalse(pub.connected());
        assertEquals("link stopped", take(subEvents.disconnected, WAIT, "the stopped side reports it too"));

        RecordingListener again = new RecordingListener();
        PeerLink sub2 = subscriber(again);
        sub2.start();
        take(pubEvents.connected, WAIT, "the publisher hears the restarted subscriber");
        take(again.connected, WAIT, "the restarted subscriber hears the publisher");
        await("up again", WAIT, () -> pub.connected() && sub2.connected());
        assertEquals(1, pub.reconnects());
        take(pubEvents.heartbeats, WAIT, "heartbeats flow again");
    }

    @Test
    void st8_aPeerThatGoesQuietWithoutClosing_isReportedSilentAfterTheTimeout() throws Exception {
        PeerLink pub = publisher();
        pub.start();
        try (RawPeer peer = new RawPeer(pubPort)) {
            long since = System.nanoTime(); // before the HELLO: the link cannot have heard anything earlier
            peer.send(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 100));
            take(pubEvents.connected, WAIT, "the raw peer's HELLO");
            String reason = take(pubEvents.disconnected, WAIT, "silence noticed");
            long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            assertTrue(reason.startsWith("silent for "), reason);
            assertTrue(afterMs >= TIMEOUT_MS, "not before the timeout: " + afterMs + " ms");
            assertTrue(afterMs < TIMEOUT_MS + 1_000, "soon after the timeout: " + afterMs + " ms");
            peer.awaitClosedByLink();
        }
    }

    @Test
    void st11_silence_isTheLongerOfTheLocalTimeoutAndTheOneThePeerAskedFor() throws Exception {
        SteppedClock clock = new SteppedClock();
        PeerLink pub = link(PUBLISHER, pubEvents, pubSource, 200, 200, 2_000, clock);
        pub.start();
        try (RawPeer peer = new RawPeer(pubPort)) {
            peer.send(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 1_000));
            take(pubEvents.connected, WAIT, "HELLO asking for 1000 ms");
            assertEquals(1_000, pub.silenceTimeoutMs());
            clock.advanceMs(999);
            assertNull(none(pubEvents.disconnected, Duration.ofMillis(10 * INTERVAL_MS)),
                    "999 ms of silence: past the local 200 ms, short of the 1000 ms the peer asked for");
            clock.advanceMs(1);
            String reason = take(pubEvents.disconnected, WAIT, "silent at 1000 ms");
            assertTrue(reason.startsWith("silent for 1000 ms (timeout 1000 ms"), reason);
        }
        try (RawPeer peer = new RawPeer(pubPort)) {
            peer.send(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 2, 1, 50));
            take(pubEvents.connected, WAIT, "HELLO asking for 50 ms");
            assertEquals(200, pub.silenceTimeoutMs(), "the local 200 ms is the floor");
            clock.advanceMs(199);
            assertNull(none(pubEvents.disconnected, Duration.ofMillis(10 * INTERVAL_MS)));
            clock.advanceMs(1);
            assertTrue(take(pubEvents.disconnected, WAIT, "silent at 200 ms").startsWith("silent for 200 ms"));
        }
    }

    @Test
    void st8_heartbeatsKeepASlowButLivingPeerConnected() {
        PeerLink pub = publisher();
        PeerLink sub = subscriber(subEvents);
        pub.start();
        sub.start();
        bothConnected(pub, sub);
        long target = pub.heartbeatsReceived() + 2 * (TIMEOUT_MS / INTERVAL_MS);
        await("two timeouts' worth of heartbeats", WAIT, () -> pub.heartbeatsReceived() >= target);
        assertTrue(pubEvents.disconnected.isEmpty() && subEvents.disconnected.isEmpty(), "never silent");
    }

    // ------------------------------------------------------------------ PM-3: forwarded actions

    @Test
    void pm3_aForwardedAction_roundTrips() throws Exception {
        PeerLink pub = publisher();
        PeerLink sub = subscriber(subEvents);
        pub.start();
        sub.start();
        bothConnected(pub, sub);

        CompletableFuture<PeerActionResult> answer = sub.sendAction(AdminAction.DEACTIVATE, SUBSCRIBER, true);
        PeerAction action = take(pubEvents.actions, WAIT, "the action reaches the publisher");
        assertEquals(AdminAction.DEACTIVATE, action.action());
        assertEquals(SUBSCRIBER, action.target());
        assertTrue(action.force());
        pub.reply(new PeerActionResult(action.requestId(), true, "subscriber DEACTIVATED, 2 calls dropped",
                ServerStatus.DEACTIVATED, 2));
        PeerActionResult r = answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(r.ok());
        assertEquals(ServerStatus.DEACTIVATED, r.status());
        assertEquals(2, r.callsAffected());
        assertEquals(r, take(subEvents.results, WAIT, "the listener sees the answer too"));

        CompletableFuture<PeerActionResult> refused = pub.sendAction(AdminAction.MAKE_PRIMARY, SUBSCRIBER, false);
        PeerAction second = take(subEvents.actions, WAIT, "the other way round");
        sub.reply(new PeerActionResult(second.requestId(), false, "not SECONDARY", ServerStatus.DEACTIVATED, 0));
        assertFalse(refused.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).ok());
    }

    @Test
    void pm3_anUnansweredAction_timesOut_andOneOnADownLinkFailsAtOnce() throws Exception {
        PeerLink pub = publisher();
        PeerLink sub = link(SUBSCRIBER, subEvents, subSource, TIMEOUT_MS, TIMEOUT_MS, 100, System::nanoTime);
        CompletableFuture<PeerActionResult> early = sub.sendAction(AdminAction.TAKE_CALLS, SUBSCRIBER, false);
        assertInstanceOf(PeerLinkException.class, cause(early), "not started");
        pub.start();
        sub.start();
        bothConnected(pub, sub);
        CompletableFuture<PeerActionResult> unanswered = sub.sendAction(AdminAction.ACTIVATE, PUBLISHER, false);
        take(pubEvents.actions, WAIT, "received, never answered");
        assertInstanceOf(TimeoutException.class, cause(unanswered));

        pub.stop();
        take(subEvents.disconnected, WAIT, "the publisher left");
        assertInstanceOf(PeerLinkException.class, cause(sub.sendAction(AdminAction.ACTIVATE, PUBLISHER, false)),
                "the link is down");
    }

    @Test
    void pm3_actionsInFlight_failWhenTheLinkGoesDown() throws Exception {
        PeerLink pub = publisher();
        PeerLink sub = subscriber(subEvents);
        pub.start();
        sub.start();
        bothConnected(pub, sub);
        CompletableFuture<PeerActionResult> pending = sub.sendAction(AdminAction.STOP_TAKING_CALLS, PUBLISHER, false);
        take(pubEvents.actions, WAIT, "received");
        pub.stop();
        Throwable t = cause(pending);
        assertInstanceOf(PeerLinkException.class, t);
        assertTrue(t.getMessage().contains("stop-taking-calls"), t.getMessage());
    }

    private static Throwable cause(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(),
                TimeUnit.MILLISECONDS));
        return e.getCause();
    }

    // ------------------------------------------------------------------ duplicate connections

    @Test
    void duplicateConnections_resolveToTheOneThePublisherDialled_withoutABlip() throws Exception {
        PeerLink pub = publisher();
        PeerLink sub = subscriber(subEvents);
        pub.start();
        await("the publisher tried the subscriber, which is not listening yet", WAIT, () -> pub.dialAttempts() >= 1);
        sub.start();
        bothConnected(pub, sub);

        settled(pub, sub); // the start may have raced two connections already: wait until one is left

        long pubBase = pub.duplicatesClosed();
        long subBase = sub.duplicatesClosed();
        pub.dialAgainForTest(); // a second connection, which the publisher dialled: both move to it
        await("both closed one more duplicate", WAIT,
                () -> pub.duplicatesClosed() == pubBase + 1 && sub.duplicatesClosed() == subBase + 1);
        settled(pub, sub);
        assertEquals(PeerHandler.Direction.DIALLED, pub.activeDirectionOnLoop());
        assertEquals(PeerHandler.Direction.ACCEPTED, sub.activeDirectionOnLoop());

        sub.dialAgainForTest(); // one the subscriber dialled: both keep the publisher's
        await("both closed another duplicate", WAIT,
                () -> pub.duplicatesClosed() == pubBase + 2 && sub.duplicatesClosed() == subBase + 2);
        settled(pub, sub);
        assertEquals(PeerHandler.Direction.DIALLED, pub.activeDirectionOnLoop(), "still the publisher's");
        assertEquals(PeerHandler.Direction.ACCEPTED, sub.activeDirectionOnLoop());

        long received = pub.heartbeatsReceived();
        await("heartbeats still flow", WAIT, () -> pub.heartbeatsReceived() > received + 2);
        assertTrue(pub.connected() && sub.connected());
        assertTrue(pubEvents.disconnected.isEmpty() && subEvents.disconnected.isEmpty(), "no blip: "
                + pubEvents.disconnected + subEvents.disconnected);
        assertEquals(0, pub.reconnects() + sub.reconnects());
    }

    // ------------------------------------------------------------------ PM-3: actions across the duplicate race

    /**
     * PM-3 at start-up: the subscriber dialled first, and both sides used that connection; then the publisher's own
     * dial said HELLO, so the publisher kept that one and closed the first as a duplicate. The subscriber had
     * already written a heartbeat and an action on the first before it read the BYE: both still count, and the
     * answer goes out on the kept connection. (Before, the link ignored every frame on a connection it was closing,
     * and the action was lost.)
     */
    @Test
    void pm3_anActionOnTheConnectionTheReceiverClosesAsADuplicate_isDelivered_andAnsweredOnTheKeptOne()
            throws Exception {
        try (ServerSocket subListens = PeerTestKit.listen(subPort)) {
            PeerLink pub = publisher();
            pub.start(); // its dial to the subscriber completes in the backlog, unanswered for now
            await("the publisher dialled", WAIT, () -> pub.dialAttempts() >= 1);
            try (RawPeer first = new RawPeer(pubPort)) {
                first.send(rawHello(SUBSCRIBER, RAW_PEER_TIMEOUT_MS));
                take(pubEvents.connected, WAIT, "the subscriber's HELLO on the connection it dialled");
                await("in use", WAIT, () -> pub.activeDirectionOnLoop() == PeerHandler.Direction.ACCEPTED);
                try (RawPeer kept = new RawPeer(subListens)) {
                    sayHelloOnTheKeptOne(kept, SUBSCRIBER, first); // the publisher keeps the one it dialled
                    first.send(new PeerHeartbeat(1, SUBSCRIBER, subSource.nextHeartbeat(PeerWire.MAX_DELTA_BYTES)),
                            new PeerAction(1, AdminAction.DEACTIVATE, SUBSCRIBER, true));

                    assertEquals(1, take(pubEvents.heartbeats, WAIT, "the heartbeat before the action").sequence());
                    PeerAction action = take(pubEvents.actions, WAIT, "the action written before the BYE was read");
                    assertEquals(new PeerAction(1, AdminAction.DEACTIVATE, SUBSCRIBER, true), action);
                    PeerActionResult answer = new PeerActionResult(1, true, "subscriber DEACTIVATED",
                            ServerStatus.DEACTIVATED, 0);
                    pub.reply(answer);
                    assertEquals(answer, kept.receive(PeerActionResult.class), "answered on the kept connection");
                    assertOnTheKeptOneWithoutABlip(pub, PeerHandler.Direction.DIALLED, pubEvents);
                }
            }
        }
    }

    /**
     * PM-3, the asker's side: the subscriber forwarded an action on the connection it dialled, then moved to the
     * one the publisher dialled; the publisher, which had not moved yet, answered on the first. The answer counts.
     */
    @Test
    void pm3_anAnswerOnTheConnectionTheAskerClosesAsADuplicate_completesTheAction() throws Exception {
        PeerLink sub = subscriber(subEvents);
        try (ServerSocket pubListens = PeerTestKit.listen(pubPort);
             RawPeer first = dialledBy(sub, pubListens, rawHello(PUBLISHER, RAW_PEER_TIMEOUT_MS))) {
            take(subEvents.connected, WAIT, "the publisher's HELLO on the connection the subscriber dialled");
            CompletableFuture<PeerActionResult> answer = sub.sendAction(AdminAction.STOP_TAKING_CALLS, PUBLISHER,
                    false);
            PeerAction action = first.receive(PeerAction.class);
            try (RawPeer kept = new RawPeer(subPort)) {
                sayHelloOnTheKeptOne(kept, PUBLISHER, first); // the subscriber moves to the publisher's
                PeerActionResult result = new PeerActionResult(action.requestId(), true, "publisher stopped "
                        + "taking calls", ServerStatus.PRIMARY, 0);
                first.send(result);
                assertEquals(result, answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertOnTheKeptOneWithoutABlip(sub, PeerHandler.Direction.ACCEPTED, subEvents);
            }
        }
    }

    /**
     * PM-3: the publisher closed the connection the subscriber used as a duplicate, and the HELLO on the one it
     * keeps has not reached the subscriber yet: the link is up with no connection to write on. An action forwarded
     * and an answer given meanwhile wait for the kept connection and go out on it (before, the action failed at
     * once as if the link were down, and the answer was dropped).
     */
    @Test
    void pm3_actionsAndAnswersBetweenTheDuplicateByeAndTheKeptHello_goOutOnTheKeptConnection() throws Exception {
        PeerLink sub = subscriber(subEvents);
        try (ServerSocket pubListens = PeerTestKit.listen(pubPort);
             RawPeer first = dialledBy(sub, pubListens, rawHello(PUBLISHER, RAW_PEER_TIMEOUT_MS),
                     new PeerAction(5, AdminAction.MAKE_PRIMARY, SUBSCRIBER, false), DUPLICATE_BYE)) {
            PeerAction toAnswer = take(subEvents.actions, WAIT, "an action for the subscriber");
            upWithNoConnectionToWriteOn(sub, first);

            CompletableFuture<PeerActionResult> asked = sub.sendAction(AdminAction.TAKE_CALLS, PUBLISHER, false);
            PeerActionResult answer = new PeerActionResult(toAnswer.requestId(), true, "subscriber PRIMARY",
                    ServerStatus.PRIMARY, 0);
            sub.reply(answer);
            assertNull(none(subEvents.disconnected, Duration.ofMillis(5 * INTERVAL_MS)));
            assertFalse(asked.isDone(), "waits for the kept connection: " + asked);

            try (RawPeer kept = new RawPeer(subPort)) {
                kept.send(rawHello(PUBLISHER, RAW_PEER_TIMEOUT_MS));
                PeerAction forwarded = kept.receive(PeerAction.class);
                assertEquals(AdminAction.TAKE_CALLS, forwarded.action(), "the action, on the kept connection");
                assertEquals(answer, kept.receive(PeerActionResult.class), "then the answer, in order");
                PeerActionResult result = new PeerActionResult(forwarded.requestId(), true, "done",
                        ServerStatus.PRIMARY, 0);
                kept.send(result);
                assertEquals(result, asked.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertOnTheKeptOneWithoutABlip(sub, PeerHandler.Direction.ACCEPTED, subEvents);
            }
        }
    }

    /** PM-3: an action waiting for the kept connection fails, saying why, when the link goes down instead. */
    @Test
    void pm3_anActionWaitingForTheKeptConnection_failsClearlyWhenTheLinkGoesDownInstead() throws Exception {
        SteppedClock clock = new SteppedClock();
        PeerLink sub = link(SUBSCRIBER, subEvents, subSource, TIMEOUT_MS, TIMEOUT_MS, 60_000, clock);
        try (ServerSocket pubListens = PeerTestKit.listen(pubPort);
             RawPeer first = dialledBy(sub, pubListens, rawHello(PUBLISHER, TIMEOUT_MS), DUPLICATE_BYE)) {
            take(subEvents.connected, WAIT, "up");
            upWithNoConnectionToWriteOn(sub, first);
            CompletableFuture<PeerActionResult> asked = sub.sendAction(AdminAction.ACTIVATE, PUBLISHER, false);
            clock.advanceMs(TIMEOUT_MS);
            assertTrue(take(subEvents.disconnected, WAIT, "silent: the kept connection never came")
                    .startsWith("silent for "));
            Throwable t = cause(asked);
            assertInstanceOf(PeerLinkException.class, t);
            assertTrue(t.getMessage().contains("activate") && t.getMessage().contains("silent for "),
                    t.getMessage());
        }
    }

    private static final PeerBye DUPLICATE_BYE = new PeerBye(PeerBye.Code.DUPLICATE,
            "duplicate connection: publisher keeps another");

    /** The HELLO of a raw peer: one session on all its connections. */
    private static PeerHello rawHello(ServerName sender, long remoteTimeoutMs) {
        return new PeerHello(PeerWire.PROTOCOL_VERSION, sender, 7, 4, remoteTimeoutMs);
    }

    /** Starts {@code link}; the raw peer takes its dial on {@code listening} and sends {@code frames} on it. */
    private static RawPeer dialledBy(PeerLink link, ServerSocket listening, PeerMessage... frames)
            throws Exception {
        link.start();
        RawPeer raw = new RawPeer(listening);
        raw.send(frames);
        return raw;
    }

    /** The raw peer says HELLO on the connection both sides keep; the link closes {@code first} as a duplicate. */
    private static void sayHelloOnTheKeptOne(RawPeer kept, ServerName sender, RawPeer first) throws Exception {
        kept.send(rawHello(sender, RAW_PEER_TIMEOUT_MS));
        assertEquals(PeerBye.Code.DUPLICATE, first.receive(PeerBye.class).code(), "the link moves to the kept one");
    }

    /** The link uses the connection the publisher dialled ({@code direction} here), and was never reported down. */
    private static void assertOnTheKeptOneWithoutABlip(PeerLink link, PeerHandler.Direction direction,
                                                       RecordingListener events) throws Exception {
        assertEquals(direction, link.activeDirectionOnLoop());
        assertTrue(link.connected() && events.disconnected.isEmpty(), "no blip: " + events.disconnected);
    }

    /** The raw peer said BYE(duplicate) on {@code first}, the one in use: the link closes it and stays up. */
    private static void upWithNoConnectionToWriteOn(PeerLink link, RawPeer first) throws Exception {
        first.awaitClosedByLink();
        await("up, with no connection to write on", WAIT,
                () -> link.connected() && link.activeDirectionOnLoop() == null);
    }

    /** Up, one connection on each side, and it is the same one (dialled on one side, accepted on the other). */
    private static void settled(PeerLink pub, PeerLink sub) {
        await("up over one connection both use", WAIT, () -> pub.connected() && sub.connected()
                && pub.openConnectionsOnLoop() == 1 && sub.openConnectionsOnLoop() == 1
                && pub.activeDirectionOnLoop() != null
                && pub.activeDirectionOnLoop() != sub.activeDirectionOnLoop());
    }

    @Test
    void bothNodesStartingAtOnce_endWithOneConnectionBothUse() throws Exception {
        for (int round = 0; round < 3; round++) {
            int p = PeerTestKit.freePort();
            int s = PeerTestKit.freePort();
            RecordingListener pe = new RecordingListener();
            RecordingListener se = new RecordingListener();
            PeerLink pub = new PeerLink(PeerTestKit.config(PUBLISHER, p, s, INTERVAL_MS, TIMEOUT_MS, TIMEOUT_MS,
                    1_000), pe, pubSource, System::nanoTime);
            PeerLink sub = new PeerLink(PeerTestKit.config(SUBSCRIBER, s, p, INTERVAL_MS, TIMEOUT_MS, TIMEOUT_MS,
                    1_000), se, subSource, System::nanoTime);
            links.add(pub);
            links.add(sub);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
                awaitLatch(go);
                pub.start();
            });
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
                awaitLatch(go);
                sub.start();
            });
            go.countDown();
            a.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            b.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            settled(pub, sub);
            assertTrue(pe.disconnected.isEmpty() && se.disconnected.isEmpty(), "round " + round + ": no blip: "
                    + pe.disconnected + se.disconnected);
            pub.stop();
            sub.stop();
        }
    }

    private static void awaitLatch(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ bad input on the listen port

    @Test
    void garbageOnTheListenPort_isLoggedOnceAndClosed_andTheRealPeerStillConnects() throws Exception {
        PeerLink pub = publisher();
        pub.start();
        try (LogCapture logs = new LogCapture(PeerSession.class); RawPeer stranger = new RawPeer(pubPort)) {
            stranger.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            stranger.awaitClosedByLink();
            await("counted", WAIT, () -> pub.malformedFrames() == 1);
            List<String> warnings = logs.warnings();
            assertEquals(1, warnings.size(), "one log line: " + warnings);
            assertTrue(warnings.get(0).contains("127.0.0.1:" + stranger.socket.getLocalPort())
                    && warnings.get(0).contains("past the maximum"), warnings.get(0));
        }
        assertTrue(pubEvents.silent(), "a stranger is not the peer");
        PeerLink sub = subscriber(subEvents);
        sub.start();
        bothConnected(pub, sub);
    }

    @Test
    void aMalformedFrameOnTheLiveLink_dropsItWithOneLogLine_andTheLinkComesBack() throws Exception {
        PeerLink pub = publisher();
        pub.start();
        try (LogCapture logs = new LogCapture(PeerSession.class); RawPeer peer = new RawPeer(pubPort)) {
            peer.send(new PeerHello(PeerWire.PROTOCOL_VERSION, SUBSCRIBER, 1, 1, 5_000));
            take(pubEvents.connected, WAIT, "the raw peer is the subscriber");
            peer.sendRaw(new byte[] {0, 0, 0, 3, 0x02, 1, 2}); // a HEARTBEAT of 2 bytes
            String reason = take(pubEvents.disconnected, WAIT, "the link drops");
            assertTrue(reason.contains("truncated HEARTBEAT"), reason);
            peer.awaitClosedByLink();
            assertEquals(1, logs.warnings().size(), "one log line: " + logs.warnings());
            assertEquals(1, pub.malformedFrames());
        }
        PeerLink sub = subscriber(subEvents);
        sub.start();
        bothConnected(pub, sub);
        assertEquals(1, pub.reconnects());
    }
}
