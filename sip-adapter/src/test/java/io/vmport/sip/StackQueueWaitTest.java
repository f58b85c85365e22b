package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import java.net.DatagramPacket;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** BI-1 (issue 16 item 6): the stack's receive queue, read on arrival, sheds only while it stands above target. */
class StackQueueWaitTest {

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final ArrayDeque<DatagramQueuedMessageDispatch> queue = new ArrayDeque<>();

    private void queued(long atMs) {
        queue.add(new DatagramQueuedMessageDispatch(new DatagramPacket(new byte[0], 0), atMs));
    }

    @Test
    void bi1_shedsOnlyOnceTheOldestDatagramWaitedPastTheTargetForAWholeInterval() {
        StackQueueWait wait = new StackQueueWait(50, nowMs::get);
        assertFalse(wait.standing(), "not watching a queue yet");
        wait.watch(queue);
        assertFalse(wait.standing(), "an empty queue");
        queued(nowMs.get());
        queued(nowMs.get() + 40);
        nowMs.addAndGet(50 + StackQueueWait.INTERVAL_MS);
        assertEquals(150, wait.oldestWaitMs(nowMs.get()));
        assertFalse(wait.standing(), "a burst worked off within the interval: " + wait);
        nowMs.incrementAndGet();
        assertTrue(wait.standing(), "above the target for the whole interval: " + wait);
        queue.poll(); // the parser threads catch up: the next datagram waited 111 ms
        assertFalse(wait.standing(), wait.toString());
        queue.clear();
        assertFalse(wait.standing(), wait.toString());
    }

    @Test
    void bi1_aTargetOfZeroNeverSheds_andATargetAtT1IsRefused() {
        StackQueueWait off = new StackQueueWait(0, nowMs::get);
        off.watch(queue);
        queued(0);
        assertFalse(off.standing(), "waited " + off.oldestWaitMs(nowMs.get()) + " ms with shedding off");
        assertThrows(IllegalArgumentException.class, () -> new StackQueueWait(500, nowMs::get));
    }
}
