package io.vmport.engine.ports;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hierarchical bitset behind the top-down and circular idle pools, against java.util.BitSet. */
class IndexBitSetTest {

    @Test
    void agreesWithJavaBitSet_underRandomAddsAndRemoves() {
        for (int capacity : new int[] {1, 63, 64, 65, 4096, 4097, 300_000}) {
            IndexBitSet s = new IndexBitSet(capacity);
            BitSet ref = new BitSet(capacity);
            SplittableRandom rnd = new SplittableRandom(capacity);
            for (int step = 0; step < 20_000; step++) {
                int i = rnd.nextInt(capacity);
                if (rnd.nextInt(3) == 0) {
                    assertEquals(ref.get(i), s.remove(i));
                    ref.clear(i);
                } else {
                    assertEquals(!ref.get(i), s.add(i));
                    ref.set(i);
                }
                int from = rnd.nextInt(capacity);
                assertEquals(ref.nextSetBit(from), s.nextSetBit(from), "capacity " + capacity + " from " + from);
                assertEquals(ref.nextSetBit(0), s.first());
                assertEquals(ref.cardinality(), s.size());
            }
        }
    }

    @Test
    void emptyAndEdges() {
        IndexBitSet s = new IndexBitSet(200_000);
        assertEquals(-1, s.first());
        assertTrue(s.add(199_999));
        assertEquals(199_999, s.first());
        assertEquals(199_999, s.nextSetBit(0));
        assertEquals(-1, s.nextSetBit(200_000));
        assertTrue(s.remove(199_999));
        assertFalse(s.remove(199_999));
        assertEquals(-1, s.first());
        assertEquals(0, new IndexBitSet(0).size());
    }
}
