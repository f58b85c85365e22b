package io.vmport.engine.ports;

import io.vmport.config.HuntOrder;

/**
 * The idle, available ports of one owner, in the hunt order of SPEC PT-4. Holds global port indexes
 * {@code base..base+capacity-1}. Every operation is O(1) or a bounded word scan, and allocates nothing.
 */
abstract class IdlePool {

    final int base;
    final int capacity;

    IdlePool(int base, int capacity) {
        this.base = base;
        this.capacity = capacity;
    }

    static IdlePool create(HuntOrder order, int base, int capacity) {
        switch (order) {
            case TOP_DOWN: return new BitsetPool(base, capacity, false);
            case CIRCULAR: return new BitsetPool(base, capacity, true);
            case LONGEST_IDLE: return new FifoPool(base, capacity);
            default: throw new IllegalArgumentException("unknown hunt order " + order);
        }
    }

    final boolean covers(int port) {
        return port >= base && port < base + capacity;
    }

    /** Puts a port that just became idle into the pool; false when it was there already. */
    abstract boolean add(int port);

    /** Takes a given port out of the pool; false when it was not there. */
    abstract boolean remove(int port);

    abstract boolean contains(int port);

    /** Takes the next port in hunt order out of the pool, or returns -1 when the pool is empty. */
    abstract int poll();

    abstract int size();

    /** Top-down (lowest index first) or circular (next after the last picked, wrapping), on a bitset. */
    static final class BitsetPool extends IdlePool {
        private final IndexBitSet set;
        private final boolean circular;
        private int lastPicked = -1;

        BitsetPool(int base, int capacity, boolean circular) {
            super(base, capacity);
            this.set = new IndexBitSet(capacity);
            this.circular = circular;
        }

        @Override
        boolean add(int port) {
            return set.add(port - base);
        }

        @Override
        boolean remove(int port) {
            return set.remove(port - base);
        }

        @Override
        boolean contains(int port) {
            return set.contains(port - base);
        }

        @Override
        int poll() {
            int local;
            if (circular) {
                local = set.nextSetBit(lastPicked + 1);
                if (local < 0) {
                    local = set.first();
                }
            } else {
                local = set.first();
            }
            if (local < 0) {
                return -1;
            }
            set.remove(local);
            lastPicked = local;
            return base + local;
        }

        @Override
        int size() {
            return set.size();
        }
    }

    /** Longest idle first: an intrusive doubly linked FIFO over int arrays; a port joins at the tail when freed. */
    static final class FifoPool extends IdlePool {
        private static final int NOT_IN = -2;
        private static final int NONE = -1;
        private final int[] next;
        private final int[] prev;
        private int head = NONE;
        private int tail = NONE;
        private int size;

        FifoPool(int base, int capacity) {
            super(base, capacity);
            this.next = new int[capacity];
            this.prev = new int[capacity];
            java.util.Arrays.fill(prev, NOT_IN);
        }

        @Override
        boolean add(int port) {
            int i = port - base;
            checkIndex(i);
            if (prev[i] != NOT_IN) {
                return false;
            }
            prev[i] = tail;
            next[i] = NONE;
            if (tail == NONE) {
                head = i;
            } else {
                next[tail] = i;
            }
            tail = i;
            size++;
            return true;
        }

        @Override
        boolean remove(int port) {
            int i = port - base;
            checkIndex(i);
            if (prev[i] == NOT_IN) {
                return false;
            }
            unlink(i);
            return true;
        }

        @Override
        boolean contains(int port) {
            return prev[port - base] != NOT_IN;
        }

        @Override
        int poll() {
            if (head == NONE) {
                return -1;
            }
            int i = head;
            unlink(i);
            return base + i;
        }

        @Override
        int size() {
            return size;
        }

        private void unlink(int i) {
            int p = prev[i];
            int n = next[i];
            if (p == NONE) {
                head = n;
            } else {
                next[p] = n;
            }
            if (n == NONE) {
                tail = p;
            } else {
                prev[n] = p;
            }
            prev[i] = NOT_IN;
            size--;
        }

        private void checkIndex(int i) {
            if (i < 0 || i >= capacity) {
                throw new IndexOutOfBoundsException("port " + (base + i) + " outside " + base + ".."
                        + (base + capacity - 1));
            }
        }
    }
}
