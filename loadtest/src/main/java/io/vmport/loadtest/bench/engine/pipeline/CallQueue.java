package io.vmport.loadtest.bench.engine.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer queue of calls, from the reply thread back to the producer that
 * owns them. Sized for every call the producer can have in flight, so adding never fails. Allocates nothing.
 */
final class CallQueue {
    private final BenchCall[] buffer;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    CallQueue(int minCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, minCapacity - 1)) << 1;
        buffer = new BenchCall[capacity];
        mask = capacity - 1;
    }

    /** Reply thread only. */
    void add(BenchCall call) {
        long t = tail.get();
        if (t - head.get() == buffer.length) {
            throw new IllegalStateException("call queue full: " + buffer.length + " calls; more in flight than sized");
        }
        buffer[(int) t & mask] = call;
        tail.lazySet(t + 1);
    }

    /** Owning producer only; null when empty. */
    BenchCall poll() {
        long h = head.get();
        if (h == tail.get()) {
            return null;
        }
        int i = (int) h & mask;
        BenchCall call = buffer[i];
        buffer[i] = null;
        head.lazySet(h + 1);
        return call;
    }
}
