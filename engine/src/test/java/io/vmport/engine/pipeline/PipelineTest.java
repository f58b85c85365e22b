package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallOutcome;

import io.vmport.engine.calls.CallReason;

import io.vmport.engine.ports.PortState;
import io.vmport.config.ConfigException;
import io.vmport.config.ServerName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's behaviour one call at a time, with a clock the test steps. */
class PipelineTest {
    private static final int PORTS_PER_SERVER = 4;
    private static final int PORTS = TestRouters.portCount(PORTS_PER_SERVER);
    private static final long SECOND_NS = 1_000_000_000L;

    private final ManualClock clock = new ManualClock();
    private final RecordingJournalSink journal = new RecordingJournalSink();
    private final LinkedBlockingQueue<TestCall> inbox = new LinkedBlockingQueue<>();
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.stop();
        }
    }

    private Pipeline pipeline(PipelineSettings settings) {
        pipeline = new Pipeline(settings, TestRouters.sipTrunk(PORTS_PER_SERVER), journal, clock);
        return pipeline;
    }

    private Pipeline started(long monitorMinIntervalNs) {
        pipeline(PipelineSettings.defaults(PORTS).withMonitorMinIntervalNs(monitorMinIntervalNs).withTickIntervalNs(0))
                .start();
        return pipeline;
    }

    private TestCall offer(String callId, ServerName landedOn) throws InterruptedException {
        TestCall call = new TestCall(callId, landedOn, inbox, null);
        pipeline.producer().offer(landedOn, -1, callId, "1001", "5000", "2001", CallReason.FORWARDED_NO_ANSWER, call);
        TestCall replied = inbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(replied, "no reply to " + callId);
        return replied;
    }

    @Test
    void ca6_answeredCall_recordCarriesIdentityNumbersAndTimes() throws Exception {
        started(0);
        long offeredNs = clock.nanoTime();
        TestCall call = offer("c1", ServerName.SUBSCRIBER);
        assertEquals(TestCall.Reply.ANSWER, call.reply);
        long answeredNs = clock.advance(SECOND_NS);
        pipeline.producer().answered(call.port, "c1");
        long endedNs = clock.advance(2 * SECOND_NS);
        pipeline.producer().ended(call.port, "c1");
        Await.drained(pipeline);

        assertEquals(List.of(new RecordingJournalSink.Copy("c1", ServerName.SUBSCRIBER, call.port, "1001", "5000",
                "2001", CallReason.FORWARDED_NO_ANSWER, offeredNs, answeredNs, endedNs, CallOutcome.ANSWERED, null,
                null)), journal.records);
    }

    @Test
    void ca6_callEndedWhileRinging_isRecordedAbandoned() throws Exception {
        started(0);
        TestCall call = offer("c1", ServerName.PUBLISHER);
        clock.advance(SECOND_NS);
        pipeline.producer().ended(call.port, "c1");
        Await.drained(pipeline);
        assertEquals(1, journal.records.size());
        assertEquals(CallOutcome.ABANDONED, journal.records.get(0).outcome());
        assertEquals(CallRecord.NO_TIME, journal.records.get(0).answeredNs());
    }

    @Test
    void ca1_ca6_offerWithEveryPortBusy_isNotAnswered_andRecordedAtOnceWithItsOutcome() throws Exception {
        started(0);
        for (int i = 0; i < PORTS; i++) {
            TestCall call = offer("busy-" + i, i % 2 == 0 ? ServerName.PUBLISHER : ServerName.SUBSCRIBER);
            assertEquals(TestCall.Reply.ANSWER, call.reply, "call " + i + " of " + PORTS + " ports");
        }
        TestCall extra = offer("one-too-many", ServerName.PUBLISHER);
        Await.drained(pipeline);

        assertNotEquals(TestCall.Reply.ANSWER, extra.reply);
        assertEquals(1, journal.records.size(), "only the call that was not answered has ended");
        RecordingJournalSink.Copy r = journal.records.get(0);
        assertEquals("one-too-many", r.callId());
        assertEquals(-1, r.port());
        if (extra.reply == TestCall.Reply.REFUSE) {
            assertEquals(CallOutcome.REFUSED, r.outcome());
            assertEquals(extra.cause, r.cause());
        } else {
            assertEquals(CallOutcome.REDIRECTED, r.outcome());
            assertEquals(extra.redirectedTo, r.redirectedTo());
        }
    }

    @Test
    void pm1_monitorShowsRingingThenInCallWithTheCall_thenIdle() throws Exception {
        started(0);
        long offeredNs = clock.nanoTime();
        TestCall call = offer("c1", ServerName.PUBLISHER);
        Await.drained(pipeline);
        PortSnapshot ringing = pipeline.monitorSnapshot().port(call.port);
        assertEquals(new PortSnapshot(call.port, PortState.RINGING, ServerName.PUBLISHER, "c1", "1001", "5000",
                "2001", CallReason.FORWARDED_NO_ANSWER, offeredNs), ringing);
        assertEquals(1, pipeline.monitorSnapshot().callsInProgress(ServerName.PUBLISHER));

        long answeredNs = clock.advance(SECOND_NS);
        pipeline.producer().answered(call.port, "c1");
        Await.drained(pipeline);
        PortSnapshot inCall = pipeline.monitorSnapshot().port(call.port);
        assertEquals(PortState.IN_CALL, inCall.state());
        assertEquals(answeredNs, inCall.sinceNs());
        assertEquals("c1", inCall.callId());

        pipeline.producer().ended(call.port, "c1");
        Await.drained(pipeline);
        MonitorSnapshot after = pipeline.monitorSnapshot();
        assertEquals(PORTS, after.count(PortState.IDLE));
        assertNull(after.port(call.port).callId());
        assertEquals(0, after.callsInProgress(ServerName.PUBLISHER));
    }

    @Test
    void pm1_snapshotsAreRateLimited_andAHeldBackChangeGoesOutWithALaterTick() throws Exception {
        started(1_000_000);
        TestCall call = offer("c1", ServerName.PUBLISHER);
        Await.drained(pipeline);
        assertEquals(PortState.RINGING, pipeline.monitorSnapshot().state(call.port), "first change at once");

        clock.advance(10_000);
        pipeline.producer().answered(call.port, "c1");
        Await.drained(pipeline);
        assertEquals(PortState.RINGING, pipeline.monitorSnapshot().state(call.port),
                "held back: 10 us after the last snapshot, 1 ms apart at least");

        clock.advance(2_000_000);
        pipeline.producer().tick();
        Await.drained(pipeline);
        assertEquals(PortState.IN_CALL, pipeline.monitorSnapshot().state(call.port));
    }

    @Test
    void pm1_aSnapshotCopiesOnlyThePagesThatChanged_andSharesTheOthers() throws Exception {
        int portsPerServer = 600; // 1,200 ports: 5 pages of 256
        pipeline = new Pipeline(PipelineSettings.defaults(TestRouters.portCount(portsPerServer))
                .withMonitorMinIntervalNs(0).withTickIntervalNs(0), TestRouters.sipTrunk(portsPerServer), journal,
                clock);
        pipeline.start();
        MonitorSnapshot before = pipeline.monitorSnapshot();
        TestCall call = offer("c1", ServerName.SUBSCRIBER);
        Await.drained(pipeline);
        MonitorSnapshot after = pipeline.monitorSnapshot();

        int changedPage = call.port >>> PortPage.SHIFT;
        assertEquals(5, after.pages().length);
        for (int page = 0; page < after.pages().length; page++) {
            if (page == changedPage) {
                assertNotSame(before.pages()[page], after.pages()[page], "page " + page + " changed");
            } else {
                assertSame(before.pages()[page], after.pages()[page], "page " + page + " shared");
            }
        }
        assertEquals(PortState.IDLE, before.state(call.port), "a published snapshot never changes");
        assertEquals(PortState.RINGING, after.state(call.port));
    }

    @Test
    void staleEnd_ofAnotherCall_isIgnored_andThePortKeepsItsCall() throws Exception {
        started(0);
        TestCall call = offer("c1", ServerName.PUBLISHER);
        pipeline.producer().ended(call.port, "not-c1");
        Await.drained(pipeline);
        assertEquals(0, journal.records.size());
        assertEquals(PortState.RINGING, pipeline.monitorSnapshot().state(call.port));
        assertEquals(0, pipeline.handlerFailures());

        pipeline.producer().ended(call.port, "c1");
        pipeline.producer().ended(call.port, "c1"); // a retransmitted BYE
        Await.drained(pipeline);
        assertEquals(1, journal.records.size());
        assertEquals(PortState.IDLE, pipeline.monitorSnapshot().state(call.port));
        assertEquals(0, pipeline.handlerFailures());
    }

    @Test
    void ca5_hangUp_reachesTheHandleOfTheCallOnThePort() throws Exception {
        started(0);
        TestCall call = offer("c1", ServerName.SUBSCRIBER);
        pipeline.producer().answered(call.port, "c1");
        pipeline.producer().hangUp(call.port, "c1");
        Await.drained(pipeline);
        assertEquals(1, call.hangUps.get());

        pipeline.producer().ended(call.port, "c1");
        pipeline.producer().hangUp(call.port, "c1"); // too late: the call is gone
        Await.drained(pipeline);
        assertEquals(1, call.hangUps.get());
    }

    @Test
    void bi1_tryOffer_failsFastWhenTheRingIsFull_andTheAcceptedOffersGoThroughOnceStarted() throws Exception {
        pipeline(PipelineSettings.defaults(PORTS).withRingSize(4).withTickIntervalNs(0)); // not started: nothing drains
        List<TestCall> accepted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestCall call = new TestCall("c" + i, ServerName.PUBLISHER, inbox, null);
            assertTrue(pipeline.producer().tryOffer(call.landedOn, -1, call.callId, null, null, null, null, call));
            accepted.add(call);
        }
        TestCall refused = new TestCall("c4", ServerName.PUBLISHER, inbox, null);
        assertFalse(pipeline.producer().tryOffer(refused.landedOn, -1, refused.callId, null, null, null, null,
                refused));
        assertEquals(1, pipeline.producer().rejectedOffers());

        pipeline.start();
        for (int i = 0; i < 4; i++) {
            assertNotNull(inbox.poll(10, TimeUnit.SECONDS), "reply " + i);
        }
        accepted.forEach(c -> assertEquals(1, c.replies.get(), c.callId));
        assertEquals(0, refused.replies.get());
    }

    @Test
    void stop_drainsEverythingPublished_thenRefusesNewEvents() {
        pipeline(PipelineSettings.defaults(PORTS).withRingSize(64).withTickIntervalNs(0)).start();
        List<TestCall> calls = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            TestCall call = new TestCall("c" + i, ServerName.PUBLISHER, null, null);
            pipeline.producer().offer(call.landedOn, -1, call.callId, null, null, null, null, call);
            calls.add(call);
        }
        pipeline.stop();

        assertEquals(pipeline.publishedSequence(), pipeline.completedSequence(), pipeline.describe());
        calls.forEach(c -> assertEquals(1, c.replies.get(), c.callId));
        TestCall late = new TestCall("late", ServerName.PUBLISHER, null, null);
        assertFalse(pipeline.producer().tryOffer(late.landedOn, -1, late.callId, null, null, null, null, late));
        assertThrows(IllegalStateException.class, () -> pipeline.producer().ended(0, "c0"));
        pipeline.stop(); // idempotent
    }

    @Test
    void anEndedCall_leavesNoReferenceToItsHandleInTheRing() throws Exception {
        started(0);
        TestCall call = offer("c1", ServerName.PUBLISHER);
        int port = call.port;
        WeakReference<TestCall> handle = new WeakReference<>(call);
        call = null;
        inbox.clear();
        pipeline.producer().ended(port, "c1");
        Await.drained(pipeline);
        Await.until(Duration.ofSeconds(10), () -> {
            System.gc();
            return handle.get() == null;
        }, () -> "the reply handle of an ended call is still reachable");
    }

    @Test
    void producer_refusesAPortOutsideThePlan_beforeItClaimsASlot() {
        started(0);
        long before = pipeline.publishedSequence();
        assertThrows(IllegalArgumentException.class, () -> pipeline.producer().ended(PORTS, "c1"));
        assertThrows(IllegalArgumentException.class, () -> pipeline.producer().offer(ServerName.PUBLISHER, -2, "c1",
                null, null, null, null, new TestCall("c1", ServerName.PUBLISHER, null, null)));
        assertEquals(before, pipeline.publishedSequence());
    }

    @Test
    void bi3_ringSizeNotAPowerOfTwo_isRefusedWithTheFieldAndTheValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineSettings.defaults(PORTS).withRingSize(1000));
        assertEquals("pipeline.ringSize", e.field());
        assertEquals("1000", e.value());
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());

        assertThrows(ConfigException.class, () -> PipelineSettings.defaults(PORTS).withRingSize(0));
        assertThrows(ConfigException.class, () -> PipelineSettings.defaults(0));
        assertThrows(ConfigException.class, () -> PipelineSettings.defaults(PORTS).withMonitorMinIntervalNs(-1));
        assertThrows(ConfigException.class, () -> PipelineSettings.defaults(PORTS).withWaitStrategy(null));
    }

    @Test
    void waitStrategy_readFromItsConfigName_andAnUnknownNameIsRefused() {
        assertEquals(WaitStrategyKind.SLEEPING, WaitStrategyKind.fromConfigName("pipeline.waitStrategy", "sleeping"));
        assertEquals(WaitStrategyKind.BUSY_SPIN, WaitStrategyKind.fromConfigName("pipeline.waitStrategy", "busy-spin"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> WaitStrategyKind.fromConfigName("pipeline.waitStrategy", "spin"));
        assertTrue(e.getMessage().contains("blocking, sleeping, yielding, busy-spin"), e.getMessage());
    }

}
