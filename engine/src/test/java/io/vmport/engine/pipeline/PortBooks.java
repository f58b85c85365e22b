package io.vmport.engine.pipeline;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The test's own books of which call holds each port: taken when the reply stage answers a call on it, freed
 * by the producer just before it publishes the call's end (after that the router may give the port again).
 * A port given while the books show it held is a violation.
 */
final class PortBooks {
    private final AtomicReferenceArray<TestCall> holder;
    final Queue<String> violations = new ConcurrentLinkedQueue<>();

    PortBooks(int ports) {
        holder = new AtomicReferenceArray<>(ports);
    }

    void take(int port, TestCall call) {
        TestCall before = holder.getAndSet(port, call);
        if (before != null) {
            violations.add("port " + port + " given to " + call + " while " + before + " held it");
        }
    }

    void free(int port, TestCall call) {
        if (!holder.compareAndSet(port, call, null)) {
            violations.add("port " + port + " no longer held by " + call + " but by " + holder.get(port));
        }
    }
}
