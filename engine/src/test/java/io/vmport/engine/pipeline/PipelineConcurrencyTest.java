package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallOutcome;

import io.vmport.engine.calls.CallReason;

import io.vmport.engine.ports.PortState;
import io.vmport.config.ServerName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several producer threads offer, answer, abandon and end calls on both servers at once, with more calls in
 * flight than ports so that the router also redirects and refuses. Afterwards: no port ever held two calls,
 * every call got exactly one reply and left exactly one record (SPEC CA-6), and the port monitor shows every
 * port IDLE (SPEC PM-1).
 */
class PipelineConcurrencyTest {
    private static final int PORTS_PER_SERVER = 8;
    private static final int PRODUCERS = 4;
    private static final int CALLS_PER_PRODUCER = 5_000;
    private static final int IN_FLIGHT_PER_PRODUCER = 6;

    @ParameterizedTest(name = "{0} wait, {1} stage threads")
    @CsvSource({"BLOCKING, SHARED", "BLOCKING, PER_STAGE", "SLEEPING, PER_STAGE", "SLEEPING, SHARED"})
    void ca6_pm1_concurrentCallsOnBothServers_eachCallOneRecord_noPortTwice_allPortsIdleAfter(WaitStrategyKind wait,
            StageThreads threads) throws Exception {
        int ports = TestRouters.portCount(PORTS_PER_SERVER);
        PipelineSettings settings = PipelineSettings.defaults(ports).withRingSize(256).withWaitStrategy(wait)
                .withStageThreads(threads).withMonitorMinIntervalNs(1_000_000).withTickIntervalNs(5_000_000)
                .withJournalBatchSize(64);
        RecordingJournalSink journal = new RecordingJournalSink();
        PortBooks books = new PortBooks(ports);
        List<TestCall> allCalls = new ArrayList<>();

        try (Pipeline pipeline = new Pipeline(settings, TestRouters.sipTrunk(PORTS_PER_SERVER), journal,
                NanoClock.SYSTEM)) {
            pipeline.start();
            CountDownLatch go = new CountDownLatch(1);
            List<Producer> producers = new ArrayList<>();
            for (int i = 0; i < PRODUCERS; i++) {
                producers.add(new Producer(i, pipeline.producer(), books, go));
            }
            producers.forEach(Thread::start);
            go.countDown();
            for (Producer p : producers) {
                p.join(TimeUnit.SECONDS.toMillis(120));
                assertFalse(p.isAlive(), () -> p.getName() + " did not finish");
                assertNull(p.failure, () -> p.getName() + " failed: " + p.failure);
                allCalls.addAll(p.calls);
            }

            Await.until(Duration.ofSeconds(20), () -> !books.violations.isEmpty()
                            || journal.records.size() >= allCalls.size()
                            && pipeline.monitorSnapshot().count(PortState.IDLE) == ports,
                    () -> "records=" + journal.records.size() + "/" + allCalls.size() + ", "
                            + pipeline.monitorSnapshot() + ", " + pipeline.describe());

            assertTrue(books.violations.isEmpty(), () -> "a port held two calls: " + books.violations);
            MonitorSnapshot snapshot = pipeline.monitorSnapshot();
            for (int p = 0; p < ports; p++) {
                assertEquals(PortState.IDLE, snapshot.port(p).state(), "port " + p);
                assertNull(snapshot.port(p).callId(), "call on port " + p);
            }
            assertEquals(0, snapshot.callsInProgress(ServerName.PUBLISHER));
            assertEquals(0, snapshot.callsInProgress(ServerName.SUBSCRIBER));
            assertEquals(0, pipeline.handlerFailures(), "handler failures");
        }

        assertTrue(books.violations.isEmpty(), () -> "a port held two calls: " + books.violations);
        assertEquals(PRODUCERS * CALLS_PER_PRODUCER, allCalls.size());
        Map<String, RecordingJournalSink.Copy> byCall = new HashMap<>();
        for (RecordingJournalSink.Copy r : journal.records) {
            RecordingJournalSink.Copy before = byCall.put(r.callId(), r);
            assertNull(before, () -> "second record for call " + r.callId());
        }
        assertEquals(allCalls.size(), byCall.size(), "calls with a record");

        int answered = 0;
        int notAnswered = 0;
        for (TestCall call : allCalls) {
            assertEquals(1, call.replies.get(), () -> "replies to " + call);
            RecordingJournalSink.Copy r = byCall.get(call.callId);
            assertNotNull(r, () -> "record of " + call);
            assertEquals(call.landedOn, r.server(), () -> "server of " + r);
            assertEquals("caller-" + call.callId, r.caller(), () -> "caller of " + r);
            switch (call.reply) {
                case ANSWER -> {
                    assertEquals(call.port, r.port(), () -> "port of " + r);
                    assertEquals(call.connected ? CallOutcome.ANSWERED : CallOutcome.ABANDONED, r.outcome(),
                            () -> "outcome of " + r);
                    assertTrue(r.endedNs() >= r.offeredNs(), () -> "times of " + r);
                    if (call.connected) {
                        assertTrue(r.answeredNs() >= r.offeredNs() && r.answeredNs() <= r.endedNs(),
                                () -> "times of " + r);
                    }
                    answered++;
                }
                case REDIRECT -> {
                    assertEquals(CallOutcome.REDIRECTED, r.outcome(), () -> "outcome of " + r);
                    assertEquals(call.redirectedTo, r.redirectedTo(), () -> "redirection of " + r);
                    notAnswered++;
                }
                case REFUSE -> {
                    assertEquals(CallOutcome.REFUSED, r.outcome(), () -> "outcome of " + r);
                    assertEquals(call.cause, r.cause(), () -> "cause of " + r);
                    notAnswered++;
                }
            }
        }
        assertTrue(answered > 0, "some calls answered");
        assertTrue(notAnswered > 0, "some calls redirected or refused (more calls in flight than ports)");
    }

    /** One producer thread: offers its calls, keeps a few in flight, connects most, abandons some, ends all. */
    private static final class Producer extends Thread {
        private final PipelineProducer producer;
        private final PortBooks books;
        private final CountDownLatch go;
        private final LinkedBlockingQueue<TestCall> inbox = new LinkedBlockingQueue<>();
        private final SplittableRandom random;
        final List<TestCall> calls = new ArrayList<>();
        volatile Throwable failure;

        Producer(int id, PipelineProducer producer, PortBooks books, CountDownLatch go) {
            super("test-producer-" + id);
            this.producer = producer;
            this.books = books;
            this.go = go;
            this.random = new SplittableRandom(42 + id);
        }

        @Override
        public void run() {
            try {
                go.await();
                List<TestCall> connected = new ArrayList<>();
                int inFlight = 0;
                while (calls.size() < CALLS_PER_PRODUCER || inFlight > 0) {
                    if (calls.size() < CALLS_PER_PRODUCER && inFlight < IN_FLIGHT_PER_PRODUCER) {
                        TestCall call = newCall();
                        if (producer.tryOffer(call.landedOn, -1, call.callId, "caller-" + call.callId, "5000",
                                random.nextBoolean() ? "2001" : null, CallReason.FORWARDED_BUSY, call)) {
                            calls.add(call);
                            inFlight++;
                        }
                    }
                    TestCall replied = inFlight > connected.size() ? inbox.poll(1, TimeUnit.MILLISECONDS) : null;
                    if (replied != null) {
                        if (replied.reply == TestCall.Reply.ANSWER) {
                            if (random.nextInt(10) == 0) {
                                end(replied);     // the caller hung up while it rang
                                inFlight--;
                            } else {
                                replied.connected = true;
                                producer.answered(replied.port, replied.callId);
                                connected.add(replied);
                            }
                        } else {
                            inFlight--;
                        }
                    }
                    if (!connected.isEmpty() && (random.nextInt(3) == 0 || calls.size() == CALLS_PER_PRODUCER)) {
                        end(connected.remove(random.nextInt(connected.size())));
                        inFlight--;
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private TestCall newCall() {
            ServerName landedOn = random.nextBoolean() ? ServerName.PUBLISHER : ServerName.SUBSCRIBER;
            return new TestCall(getName() + "-call-" + calls.size(), landedOn, inbox, books);
        }

        /** Frees the port in the test's books first: after the end is published the router may reuse it. */
        private void end(TestCall call) {
            books.free(call.port, call);
            producer.ended(call.port, call.callId);
        }
    }
}
