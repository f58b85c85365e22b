package io.vmport.sip;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the JAIN-SIP stack's event scanner thread, to end it when the trunk stops. The stack starts it, not as a
 * daemon, in its constructor; {@code SipStackImpl.stop()} (1.3.0-91) only sets the scanner's stopped flag, while the
 * thread waits in its queue's {@code take()} for an event that never comes (the trunk's listener is reentrant, so
 * the scanner delivers nothing). Each stopped trunk left one such thread, and it kept a JVM from exiting. An
 * interrupt ends it: the scanner returns from {@code take()}'s interruption, silently once stopped.
 */
final class EventScannerThread {

    /** The name the stack gives the thread. */
    static final String NAME = "EventScannerThread";

    private EventScannerThread() {
    }

    /** Every live thread of that name in this JVM. */
    static Set<Thread> running() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> NAME.equals(t.getName()))
                .collect(Collectors.toSet());
    }

    /**
     * The one scanner thread started since {@code before} was taken, or null when there is none or more than one
     * (another stack was made at the same time: which one is whose cannot be told, so none is taken).
     */
    static Thread startedSince(Set<Thread> before) {
        List<Thread> started = running().stream().filter(t -> !before.contains(t)).toList();
        return started.size() == 1 ? started.get(0) : null;
    }
}
