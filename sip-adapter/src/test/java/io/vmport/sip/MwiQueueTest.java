package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MW-2 and MW-3's pacing, with a stepped clock and no socket. */
class MwiQueueTest {

    private static final long MS = 1_000_000L;
    private final MwiSettings settings = MwiSettings.of("127.0.0.1", 5060);
    private final MwiQueue queue = new MwiQueue(settings);

    @Test
    void mw2RefusedStateIsRetriedAtOneTwoFourEightSecondsThenGivenUp() {
        queue.offer(new MwiState("1001", 1, 0));
        long now = 0;
        List<Long> sentAtMs = new ArrayList<>();
        MwiQueue.Failure failure = null;
        while (failure == null && now < 60_000 * MS) {
            for (MwiQueue.Attempt a : queue.due(now)) {
                sentAtMs.add(now / MS);
                failure = queue.completed(a, 403, "403 Forbidden", now);
            }
            now += MS;
        }
        assertEquals(List.of(0L, 1_000L, 3_000L, 7_000L, 15_000L), sentAtMs);
        assertNotNull(failure);
        assertEquals(new MwiState("1001", 1, 0), failure.state());
        assertEquals(5, failure.attempts());
        assertEquals("403 Forbidden", failure.lastOutcome());
        // bounded: nothing more is ever sent for it
        assertTrue(queue.due(now + 3_600_000 * MS).isEmpty());
        assertEquals(Long.MAX_VALUE, queue.nextDueNs(now));
        assertEquals(5, queue.sent());
        assertEquals(0, queue.answered());
        assertEquals(1, queue.failed());
        assertEquals(0, queue.pending());
    }

    @Test
    void mw2BackoffIsCappedAtMaxRetry() {
        MwiSettings s = settings.withAttempts(8, 1_000, 5_000);
        assertEquals(1_000, s.retryDelayMs(1));
        assertEquals(4_000, s.retryDelayMs(3));
        assertEquals(5_000, s.retryDelayMs(4));
        assertEquals(5_000, s.retryDelayMs(40));
    }

    @Test
    void mw2NewestStateReplacesOneWaitingForItsRetry() {
        queue.offer(new MwiState("1001", 1, 0));
        MwiQueue.Attempt first = queue.due(0).get(0);
        assertNull(queue.completed(first, 0, "no answer", 0));
        assertEquals(1_000 * MS, queue.nextDueNs(0));
        queue.offer(new MwiState("1001", 0, 1));
        List<MwiQueue.Attempt> now = queue.due(10 * MS);
        assertEquals(1, now.size());
        assertEquals(new MwiState("1001", 0, 1), now.get(0).state);
        assertEquals(1, now.get(0).number, "the newest state starts its attempts afresh");
        assertNull(queue.completed(now.get(0), 200, "200 OK", 10 * MS));
        // the old retry never fires
        assertTrue(queue.due(5_000 * MS).isEmpty());
        assertEquals(2, queue.sent());
        assertEquals(1, queue.answered());
        assertEquals(0, queue.pending());
    }

    @Test
    void mw2NewestStateReplacesUnsentOnesAndFollowsOneInFlight() {
        queue.offer(new MwiState("1001", 1, 0));
        MwiQueue.Attempt inFlight = queue.due(0).get(0);
        queue.offer(new MwiState("1001", 2, 0));
        queue.offer(new MwiState("1001", 3, 0));
        assertTrue(queue.due(MS).isEmpty(), "one NOTIFY per extension at a time");
        assertNull(queue.completed(inFlight, 200, "200 OK", 2 * MS));
        List<MwiQueue.Attempt> next = queue.due(3 * MS);
        assertEquals(List.of(new MwiState("1001", 3, 0)), next.stream().map(a -> a.state).toList());
        queue.completed(next.get(0), 200, "200 OK", 4 * MS);
        assertEquals(2, queue.sent());
        assertEquals(0, queue.pending());
    }

    /** MW-1: a server that stops being PRIMARY sends nothing more, not even a retry of a NOTIFY in flight. */
    @Test
    void droppedStatesAreNeitherSentNorRetried() {
        queue.offer(new MwiState("1001", 1, 0));
        queue.offer(new MwiState("1002", 1, 0));
        List<MwiQueue.Attempt> inFlight = queue.due(0);
        assertEquals(2, inFlight.size());
        queue.offer(new MwiState("1003", 1, 0));
        queue.dropPending();
        for (MwiQueue.Attempt a : inFlight) {
            assertNull(queue.completed(a, 503, "503 Service Unavailable", MS));
        }
        assertTrue(queue.due(3_600_000 * MS).isEmpty());
        assertEquals(0, queue.pending());
        queue.offer(new MwiState("1002", 0, 0));
        assertEquals(List.of(new MwiState("1002", 0, 0)),
                queue.due(3_600_001 * MS).stream().map(a -> a.state).toList());
    }

    @Test
    void secondOutcomeOfOneAttemptIsIgnored() {
        queue.offer(new MwiState("1001", 1, 0));
        MwiQueue.Attempt a = queue.due(0).get(0);
        queue.completed(a, 200, "200 OK", 0);
        assertNull(queue.completed(a, 0, "no answer", MS));
        assertEquals(1, queue.answered());
        assertEquals(0, queue.failed());
    }

    /** MW-3: 10,000 mailboxes at 2,000/s with 200 in flight, the PBX answering in 20 ms: all within 10 s. */
    @Test
    void mw3TenThousandStatesArePacedAndAllDeliveredWithinTenSeconds() {
        List<MwiState> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            all.add(new MwiState(Integer.toString(10_000 + i), i % 3, 1));
        }
        all.forEach(queue::offer);
        record Pending(long answerNs, MwiQueue.Attempt attempt) {
        }
        ArrayDeque<Pending> answers = new ArrayDeque<>();
        int maxInFlight = 0;
        int maxPerSecond = 0;
        int thisSecond = 0;
        long now = 0;
        for (; queue.pending() > 0 && now <= 20_000 * MS; now += MS) {
            while (!answers.isEmpty() && answers.peek().answerNs <= now) {
                queue.completed(answers.poll().attempt, 200, "200 OK", now);
            }
            List<MwiQueue.Attempt> due = queue.due(now);
            for (MwiQueue.Attempt a : due) {
                answers.add(new Pending(now + 20 * MS, a));
            }
            thisSecond += due.size();
            maxInFlight = Math.max(maxInFlight, queue.inFlight());
            if (now % (1_000 * MS) == 999 * MS) {
                maxPerSecond = Math.max(maxPerSecond, thisSecond);
                thisSecond = 0;
            }
        }
        assertEquals(0, queue.pending());
        assertEquals(10_000, queue.answered());
        assertEquals(10_000, queue.sent());
        assertTrue(now <= 10_000 * MS, "all delivered by " + now / MS + " ms");
        assertTrue(maxInFlight <= MwiSettings.DEFAULT_MAX_IN_FLIGHT, "in flight " + maxInFlight);
        assertTrue(maxPerSecond <= MwiSettings.DEFAULT_SENDS_PER_SECOND + 40, "per second " + maxPerSecond);
    }

    /**
     * MW-3 beside calls (issue 14): a 2xx answer that neither frees a full window nor brings a state to send asks
     * for no pump of the notifier's thread; one that frees a full window with states waiting, or times a retry,
     * does.
     */
    @Test
    void mw3OnlyCompletionsThatBringWorkSoonerAskForAPump() {
        MwiQueue q = new MwiQueue(settings.withPacing(100_000, 2));
        for (int i = 0; i < 4; i++) {
            q.offer(new MwiState("100" + i, 1, 0));
        }
        List<MwiQueue.Attempt> window = q.due(0);
        assertEquals(2, window.size());
        assertNull(q.completed(window.get(0), 200, "200 OK", 0));
        assertTrue(q.takeReplan(), "the full window was freed with states waiting");
        assertFalse(q.takeReplan(), "taken once");
        MwiQueue.Attempt third = q.due(MS).get(0);
        assertNull(q.completed(third, 503, "503 Busy", MS));
        assertTrue(q.takeReplan(), "a retry to time");
        List<MwiQueue.Attempt> rest = q.due(2 * MS);
        assertEquals(1, rest.size());
        assertNull(q.completed(rest.get(0), 200, "200 OK", 2 * MS));
        assertNull(q.completed(window.get(1), 200, "200 OK", 2 * MS));
        assertFalse(q.takeReplan(), "answers with room in the window and nothing new waiting");
    }

    /**
     * MW-3's bulk at 2,000/s: after the 20 ms burst the queue asks for a pump every 5 ms (ten NOTIFYs), not every
     * 0.5 ms (one); the rate over a second is unchanged. A short queue is not held back for a full batch.
     */
    @Test
    void mw3PacedPumpsComeEveryFiveMillisecondsAtTheSameRate() {
        MwiQueue q = new MwiQueue(settings.withPacing(2_000, 10_000));
        for (int i = 0; i < 5_000; i++) {
            q.offer(new MwiState(Integer.toString(10_000 + i), 1, 0));
        }
        assertEquals(40, q.due(0).size(), "the burst: 20 ms of the rate");
        long next = q.nextDueNs(0);
        assertEquals(5 * MS, next, "ten tokens, not one");
        assertEquals(10, q.due(next).size());
        long now = next;
        int pumps = 1;
        int started = 50;
        while (now < 1_000 * MS) {
            now = q.nextDueNs(now);
            started += q.due(now).size();
            pumps++;
        }
        assertEquals(2_040, started, 2, "2,000/s after the burst of 40");
        assertEquals(200, pumps, 2, "a pump per 5 ms");

        MwiQueue few = new MwiQueue(settings.withPacing(2_000, 10_000));
        for (int i = 0; i < 41; i++) {
            few.offer(new MwiState(Integer.toString(20_000 + i), 1, 0));
        }
        assertEquals(40, few.due(0).size());
        assertEquals(MS / 2, few.nextDueNs(0), "one state left: one token's wait");
    }
}
