package io.vmport.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sip.ListeningPoint;

/**
 * Waits, at start, until each UDP processor of the stack has built its pool of channel threads.
 *
 * <p>jain-sip-ri 1.3.0-91 builds that pool on the processor's own thread, after {@code start()} returns, and
 * its {@code stop()} iterates the pool without a check: a stop that comes first throws a NullPointerException
 * half-way (the rest of the stack keeps running) and the pool threads, started later, block forever. The pool
 * is a protected field with no accessor, hence the reflection; if a later version renames it, the wait is
 * skipped.
 */
final class UdpStartup {

    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private UdpStartup() {
    }

    /** Returns when every UDP listening point's processor runs {@code poolSize} channel threads (0: none). */
    static void awaitThreads(List<ListeningPoint> listeningPoints, int poolSize) {
        Field field;
        try {
            field = UDPMessageProcessor.class.getDeclaredField("messageChannels");
            field.setAccessible(true);
        } catch (NoSuchFieldException | RuntimeException e) {
            return;
        }
        long deadline = System.nanoTime() + TIMEOUT_NS;
        for (ListeningPoint lp : listeningPoints) {
            MessageProcessor processor = ((ListeningPointImpl) lp).getMessageProcessor();
            if (!(processor instanceof UDPMessageProcessor)) {
                continue;
            }
            while (size(field, processor) < poolSize) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sip: UDP processor " + processor.getIpAddress() + ":"
                            + processor.getPort() + " started " + Math.max(0, size(field, processor)) + " of "
                            + poolSize + " threads in 5 s");
                }
                LockSupport.parkNanos(100_000);
            }
        }
    }

    private static int size(Field field, MessageProcessor processor) {
        try {
            Object channels = field.get(processor);
            return channels == null ? -1 : ((List<?>) channels).size();
        } catch (IllegalAccessException e) {
            return Integer.MAX_VALUE;
        }
    }
}
