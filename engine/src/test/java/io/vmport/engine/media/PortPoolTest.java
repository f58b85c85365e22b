package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** MD-1: even ports of the range, taken and given back in O(1), a just-freed port reused last. */
class PortPoolTest {

    @Test
    void handsOutTheEvenPortsOfTheRangeThenNone() {
        PortPool pool = new PortPool(20001, 20008);
        assertEquals(4, pool.capacity());
        assertEquals(20002, pool.take());
        assertEquals(20004, pool.take());
        assertEquals(20006, pool.take());
        assertEquals(20008, pool.take());
        assertEquals(-1, pool.take());
        assertEquals(0, pool.free());
    }

    @Test
    void aGivenBackPortIsReusedAfterTheOtherFreeOnes() {
        PortPool pool = new PortPool(20000, 20005);
        int a = pool.take();
        pool.release(a);
        assertEquals(20002, pool.take());
        assertEquals(20004, pool.take());
        assertEquals(a, pool.take());
    }

    @Test
    void givingBackTwiceOrAPortNotTakenChangesNothing() {
        PortPool pool = new PortPool(20000, 20003);
        int a = pool.take();
        pool.release(a);
        pool.release(a);
        pool.release(20002);
        pool.release(20001);
        pool.release(30000);
        assertEquals(2, pool.free());
    }

    @Test
    void aRangeWithoutEvenPortIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PortPool(20001, 20001));
    }
}
