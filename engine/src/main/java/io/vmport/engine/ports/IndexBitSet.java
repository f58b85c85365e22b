package io.vmport.engine.ports;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of ints 0..capacity-1 as a hierarchy of bit words: level 0 holds one bit per member, each higher level one
 * bit per non-empty word of the level below, up to a single top word. Finding the next member at or after an
 * index looks at one word per level on the way up and one on the way down: at most 2 * ceil(log64(capacity))
 * word reads (8 for 16 million members), whatever the set holds. Allocation-free after construction.
 */
final class IndexBitSet {

    private final int capacity;
    private final long[][] levels;
    private int size;

    IndexBitSet(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        this.capacity = capacity;
        List<long[]> ls = new ArrayList<>();
        int bits = Math.max(capacity, 1);
        do {
            int words = (bits + 63) >>> 6;
            ls.add(new long[words]);
            bits = words;
        } while (bits > 1);
        this.levels = ls.toArray(new long[0][]);
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    boolean contains(int i) {
        return (levels[0][i >>> 6] & (1L << i)) != 0;
    }

    /** Adds i; false when it was there already. */
    boolean add(int i) {
        checkIndex(i);
        long[] leaf = levels[0];
        int w = i >>> 6;
        long before = leaf[w];
        long after = before | (1L << i);
        if (after == before) {
            return false;
        }
        leaf[w] = after;
        size++;
        if (before == 0) {
            int idx = w;
            for (int l = 1; l < levels.length; l++) {
                long[] lv = levels[l];
                int ww = idx >>> 6;
                long b = lv[ww];
                lv[ww] = b | (1L << idx);
                if (b != 0) {
                    break;
                }
                idx = ww;
            }
        }
        return true;
    }

    /** Removes i; false when it was not there. */
    boolean remove(int i) {
        checkIndex(i);
        long[] leaf = levels[0];
        int w = i >>> 6;
        long before = leaf[w];
        long after = before & ~(1L << i);
        if (after == before) {
            return false;
        }
        leaf[w] = after;
        size--;
        if (after == 0) {
            int idx = w;
            for (int l = 1; l < levels.length; l++) {
                long[] lv = levels[l];
                int ww = idx >>> 6;
                long a = lv[ww] & ~(1L << idx);
                lv[ww] = a;
                if (a != 0) {
                    break;
                }
                idx = ww;
            }
        }
        return true;
    }

    /** The smallest member, or -1 when empty. */
    int first() {
        return size == 0 ? -1 : next(0, 0);
    }

    /** The smallest member >= from, or -1. */
    int nextSetBit(int from) {
        if (from < 0) {
            from = 0;
        }
        if (from >= capacity || size == 0) {
            return -1;
        }
        return next(0, from);
    }

    private int next(int level, int i) {
        long[] lv = levels[level];
        int w = i >>> 6;
        if (w >= lv.length) {
            return -1;
        }
        long bits = lv[w] & (-1L << i);
        if (bits != 0) {
            return (w << 6) + Long.numberOfTrailingZeros(bits);
        }
        if (level + 1 == levels.length) {
            return -1;
        }
        int nw = next(level + 1, w + 1);
        if (nw < 0) {
            return -1;
        }
        return (nw << 6) + Long.numberOfTrailingZeros(lv[nw]);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= capacity) {
            throw new IndexOutOfBoundsException("index " + i + " outside 0.." + (capacity - 1));
        }
    }
}
