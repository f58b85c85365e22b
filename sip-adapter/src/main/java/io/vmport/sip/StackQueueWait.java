package io.vmport.sip;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.lang.reflect.Field;
import java.util.Queue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait of the oldest datagram in the stack's UDP receive queue, read when a new INVITE arrives (SPEC BI-1,
 * issue 16 item 6). The stack queues every datagram it receives, unbounded, for its parser threads; when they fall
 * behind, an INVITE let in waits there, and past T1 (500 ms) the PBX retransmits it and each copy is parsed again.
 * The overload guard's own signal, the ACKs' delay, is read as the ACKs leave that queue, so it refuses only INVITEs
 * that have waited already. This one is read on arrival: while the queue stands above {@code targetMs} (every
 * datagram at its head for the last {@value #INTERVAL_MS} ms had waited longer than the target, the test CoDel, RFC
 * 8289, uses to tell a standing queue from a burst; in a FIFO queue it is the oldest datagram's wait passing the
 * target plus the interval), new INVITEs are shed before they join it, so that the queue stays near the target,
 * well under T1. A stall the parser threads work off within the interval sheds nothing, nor does a pause of the
 * whole JVM (the receiving thread stops too, so the datagrams it reads after it are stamped after it).
 *
 * <p>The stack stamps each queued datagram with {@link System#currentTimeMillis()}, so the clock is that one.
 * Thread-safe; it holds no state but the queue it reads.
 */
final class StackQueueWait {

    private static final Logger LOG = LoggerFactory.getLogger(StackQueueWait.class);

    /** How long the queue must stand above the target before new INVITEs are shed (CoDel's interval). */
    static final long INTERVAL_MS = 100;

    private final long targetMs;
    private final LongSupplier clockMs;
    /** The stack's receive queue; null until {@link #watch} found it (and then nothing is shed by it). */
    private volatile Queue<? extends DatagramQueuedMessageDispatch> queue;

    /**
     * @param targetMs the wait past which a standing queue sheds (the trunk's overload target); 0: never sheds
     * @param clockMs  {@link System#currentTimeMillis()}, the stack's stamp (tests step their own)
     */
    StackQueueWait(long targetMs, LongSupplier clockMs) {
        if (targetMs < 0 || targetMs > 400) {
            throw new IllegalArgumentException("targetMs=" + targetMs
                    + ": must be 1..400 (below T1, 500 ms), or 0 to never shed");
        }
        this.targetMs = targetMs;
        this.clockMs = clockMs;
    }

    /** Reads {@code queue} from now on (tests give their own; the trunk its stack's, see {@link #watch}). */
    void watch(Queue<? extends DatagramQueuedMessageDispatch> value) {
        this.queue = value;
    }

    /**
     * Reads the receive queue of {@code processor} from now on, when it is the stack's UDP processor. jain-sip-ri
     * 1.3.0-91 keeps it in a protected field with no accessor, hence the reflection; if a later version renames it,
     * the trunk goes on without this signal (logged).
     */
    void watch(MessageProcessor processor) {
        if (!(processor instanceof UDPMessageProcessor) || targetMs == 0) {
            return;
        }
        try {
            Field field = UDPMessageProcessor.class.getDeclaredField("messageQueue");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            Queue<? extends DatagramQueuedMessageDispatch> q =
                    (Queue<? extends DatagramQueuedMessageDispatch>) field.get(processor);
            watch(q);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("sip: the UDP receive queue of {}:{} cannot be read ({}): new INVITEs are not shed by its wait",
                    processor.getIpAddress(), processor.getPort(), e.toString());
        }
    }

    /** The wait of the oldest datagram queued now, in ms; 0 when the queue is empty or not watched. */
    long oldestWaitMs(long nowMs) {
        Queue<? extends DatagramQueuedMessageDispatch> q = queue;
        DatagramQueuedMessageDispatch oldest = q == null ? null : q.peek();
        return oldest == null ? 0 : Math.max(0, nowMs - oldest.getReceptionTime());
    }

    /**
     * True when the queue stands above the target now (its oldest datagram waited longer than the target plus
     * {@value #INTERVAL_MS} ms): a new INVITE is then refused on its arrival. Never true with a target of 0.
     */
    boolean standing() {
        return targetMs != 0 && oldestWaitMs(clockMs.getAsLong()) > targetMs + INTERVAL_MS;
    }

    @Override
    public String toString() {
        return "StackQueueWait[oldest " + oldestWaitMs(clockMs.getAsLong()) + " ms, target " + targetMs
                + " ms, watching " + (queue != null) + "]";
    }
}
