package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stack's timer on a wheel: tasks fire, cancelled ones never do, repeating ones repeat until cancelled. */
class WheelSipTimerTest {

    private final WheelSipTimer timer = new WheelSipTimer();

    WheelSipTimerTest() {
        timer.start(null, new Properties());
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void aCancelledTaskNeverRunsWhileOneScheduledAfterItDoes() throws Exception {
        Task cancelled = new Task(1);
        Task sentinel = new Task(1);
        timer.schedule(cancelled, 20);
        timer.schedule(sentinel, 200);
        assertTrue(timer.cancel(cancelled));
        assertTrue(cancelled.cleanedUp, "cleanUpBeforeCancel runs, as the stack's own timers do");
        assertTrue(sentinel.fired.await(10, TimeUnit.SECONDS), "the sentinel ran");
        assertEquals(0, cancelled.runs.get(), "the cancelled task ran");
    }

    @Test
    void aRepeatingTaskRunsUntilCancelled() throws Exception {
        Task repeating = new Task(3);
        timer.scheduleWithFixedDelay(repeating, 0, 10);
        assertTrue(repeating.fired.await(10, TimeUnit.SECONDS), "three runs");
        timer.cancel(repeating);
        int runs = repeating.runs.get();
        Task sentinel = new Task(1);
        timer.schedule(sentinel, 100);
        assertTrue(sentinel.fired.await(10, TimeUnit.SECONDS));
        assertTrue(repeating.runs.get() <= runs + 1, "at most the run under way when cancelled: "
                + runs + " then " + repeating.runs.get());
    }

    @Test
    void aThrowingTaskDoesNotStopTheOthers() throws Exception {
        timer.schedule(new SIPStackTimerTask() {
            @Override
            public void runTask() {
                throw new OutOfMemoryError("test: a task that fails");
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        }, 0);
        Task after = new Task(1);
        timer.schedule(after, 50);
        assertTrue(after.fired.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aStoppedTimerTakesNoTask() {
        timer.stop();
        assertFalse(timer.isStarted());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> timer.schedule(new Task(1), 10));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
    }

    private static final class Task extends SIPStackTimerTask {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch fired;
        volatile boolean cleanedUp;

        Task(int runsToCount) {
            fired = new CountDownLatch(runsToCount);
        }

        @Override
        public void runTask() {
            runs.incrementAndGet();
            fired.countDown();
        }

        @Override
        public void cleanUpBeforeCancel() {
            cleanedUp = true;
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }
}
