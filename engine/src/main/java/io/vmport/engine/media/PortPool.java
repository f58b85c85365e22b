package io.vmport.engine.media;

/**
 * The free even ports of the RTP range: a ring of free ports, O(1) to take and to give back. A port given back goes
 * to the end of the ring, so a just-closed port (whose late packets may still arrive) is reused last. Thread-safe.
 */
final class PortPool {
    private final int firstEven;
    private final int[] ring;
    private final boolean[] taken;
    private int head;
    private int free;

    PortPool(int firstPort, int lastPort) {
        firstEven = firstPort + (firstPort & 1);
        int capacity = lastPort < firstEven ? 0 : (lastPort - firstEven) / 2 + 1;
        if (capacity == 0) {
            throw new IllegalArgumentException("ports " + firstPort + "-" + lastPort + " hold no even port");
        }
        ring = new int[capacity];
        taken = new boolean[capacity];
        for (int i = 0; i < capacity; i++) {
            ring[i] = firstEven + 2 * i;
        }
        free = capacity;
    }

    /** A free port, now taken, or -1 when none is free. */
    synchronized int take() {
        if (free == 0) {
            return -1;
        }
        int port = ring[head];
        head = (head + 1) % ring.length;
        free--;
        taken[(port - firstEven) / 2] = true;
        return port;
    }

    /** Gives {@code port} back; a port not taken (or given back twice) is ignored. */
    synchronized void release(int port) {
        int slot = (port - firstEven) / 2;
        if (port < firstEven || (port & 1) != 0 || slot >= taken.length || !taken[slot]) {
            return;
        }
        taken[slot] = false;
        ring[(head + free) % ring.length] = port;
        free++;
    }

    synchronized int free() {
        return free;
    }

    int capacity() {
        return ring.length;
    }
}
