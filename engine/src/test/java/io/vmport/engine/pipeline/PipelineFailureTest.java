package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vmport.config.ServerName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An exception in any stage is logged with the event it failed on, and the pipeline goes on. */
class PipelineFailureTest {
    private static final int PORTS_PER_SERVER = 4;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger handlerLogger = (Logger) LoggerFactory.getLogger(LoggingExceptionHandler.class);
    private final LinkedBlockingQueue<TestCall> inbox = new LinkedBlockingQueue<>();

    @BeforeEach
    void captureLog() {
        log.start();
        handlerLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        handlerLogger.detachAppender(log);
    }

    @ParameterizedTest(name = "{0} wait, {1} stage threads")
    @CsvSource({"BLOCKING, PER_STAGE", "BLOCKING, SHARED", "SLEEPING, PER_STAGE", "SLEEPING, SHARED"})
    void replyThatThrows_isLoggedWithItsCall_andLaterCallsAreStillAnswered(WaitStrategyKind wait, StageThreads threads)
            throws Exception {
        RecordingJournalSink journal = new RecordingJournalSink();
        try (Pipeline pipeline = start(journal, wait, threads)) {
            PipelineProducer producer = pipeline.producer();
            TestCall bad = new TestCall("call-that-breaks-the-adapter", ServerName.PUBLISHER, inbox, null) {
                @Override
                public void answer(int portIndex) {
                    super.answer(portIndex);
                    throw new IllegalStateException("adapter broke");
                }
            };
            offer(producer, bad);
            TestCall replied = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(replied, "the failing call was answered before it threw");
            Await.until(Duration.ofSeconds(10), () -> pipeline.handlerFailures() == 1, pipeline::describe);

            String logged = onlyLoggedFailure();
            assertTrue(logged.contains("stage reply"), logged);
            assertTrue(logged.contains("call-that-breaks-the-adapter"), logged);
            assertTrue(logged.contains("CALL_OFFERED"), logged);

            // the port was given; the call ends normally, and the next calls go through
            producer.ended(bad.port, bad.callId);
            for (int i = 0; i < 10; i++) {
                TestCall call = new TestCall("after-" + i, ServerName.SUBSCRIBER, inbox, null);
                offer(producer, call);
                assertEquals(TestCall.Reply.ANSWER, inbox.poll(10, TimeUnit.SECONDS).reply);
                producer.ended(call.port, call.callId);
            }
            Await.until(Duration.ofSeconds(10), () -> journal.records.size() == 11, pipeline::describe);
            assertTrue(journal.records.stream().anyMatch(r -> r.callId().equals("call-that-breaks-the-adapter")),
                    "the stages after a failing one still got its event");
            assertEquals(1, pipeline.handlerFailures());
        }
    }

    @ParameterizedTest(name = "{0} wait, {1} stage threads")
    @CsvSource({"BLOCKING, PER_STAGE", "BLOCKING, SHARED", "SLEEPING, PER_STAGE", "SLEEPING, SHARED"})
    void journalSinkThatThrows_isLogged_andLaterRecordsStillArrive(WaitStrategyKind wait, StageThreads threads)
            throws Exception {
        AtomicInteger writes = new AtomicInteger();
        RecordingJournalSink recorded = new RecordingJournalSink();
        JournalSink flaky = batch -> {
            if (writes.incrementAndGet() == 1) {
                throw new IllegalStateException("database gone");
            }
            recorded.write(batch);
        };
        try (Pipeline pipeline = start(flaky, wait, threads)) {
            TestCall first = new TestCall("first", ServerName.PUBLISHER, inbox, null);
            runCall(pipeline.producer(), first);
            Await.until(Duration.ofSeconds(10), () -> pipeline.handlerFailures() == 1, pipeline::describe);
            String logged = onlyLoggedFailure();
            assertTrue(logged.contains("stage journal"), logged);

            TestCall second = new TestCall("second", ServerName.PUBLISHER, inbox, null);
            runCall(pipeline.producer(), second);
            Await.until(Duration.ofSeconds(10), () -> recorded.records.stream()
                    .anyMatch(r -> r.callId().equals("second")), pipeline::describe);
            assertEquals(1, pipeline.handlerFailures());
        }
    }

    private Pipeline start(JournalSink journal, WaitStrategyKind wait, StageThreads threads) {
        PipelineSettings settings = PipelineSettings.defaults(TestRouters.portCount(PORTS_PER_SERVER))
                .withWaitStrategy(wait).withStageThreads(threads).withMonitorMinIntervalNs(0).withTickIntervalNs(0);
        Pipeline pipeline = new Pipeline(settings, TestRouters.sipTrunk(PORTS_PER_SERVER), journal,
                NanoClock.SYSTEM);
        pipeline.start();
        return pipeline;
    }

    private static void offer(PipelineProducer producer, TestCall call) {
        producer.offer(call.landedOn, -1, call.callId, "1001", "5000", null, CallReason.DIRECT, call);
    }

    /** Offers, connects and ends one call. */
    private void runCall(PipelineProducer producer, TestCall call) throws InterruptedException {
        offer(producer, call);
        TestCall replied = inbox.poll(10, TimeUnit.SECONDS);
        assertNotNull(replied, "no reply to " + call);
        assertEquals(TestCall.Reply.ANSWER, replied.reply);
        producer.answered(call.port, call.callId);
        producer.ended(call.port, call.callId);
    }

    private String onlyLoggedFailure() {
        List<String> failures = loggedFailures();
        assertEquals(1, failures.size(), () -> "logged failures: " + failures);
        return failures.get(0);
    }

    private List<String> loggedFailures() {
        List<String> messages = new ArrayList<>();
        synchronized (log) {
            for (ILoggingEvent e : log.list) {
                messages.add(e.getFormattedMessage() + " / " + e.getThrowableProxy().getMessage());
            }
        }
        return messages;
    }
}
