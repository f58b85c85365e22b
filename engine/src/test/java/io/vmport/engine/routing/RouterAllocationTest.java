package io.vmport.engine.routing;

import io.vmport.config.ClusterSettings;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.DomainFixture;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DESIGN 2: the per-call path (offer, answered, ended, and the timer tick) allocates nothing in steady state. */
class RouterAllocationTest {

    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;
    /** Room for the measuring itself; a single object per cycle would be 1.6 MB. */
    private static final long BOUND_BYTES = 8 * 1024;

    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static void cycles(DomainFixture f, int n, int portHint, int subscriberStep) {
        Router r = f.router;
        RoutingDecision d = f.decision;
        for (int i = 0; i < n; i++) {
            ServerName on = (i & 1) == 0 ? ServerName.PUBLISHER : ServerName.SUBSCRIBER;
            long now = f.now + i;
            r.offer(on, portHint < 0 ? -1 : (portHint + (i & 1) * subscriberStep), now, d);
            if (!d.isAnswer()) {
                throw new AssertionError(d.toString());
            }
            int p = d.portIndex();
            r.answered(p, now);
            r.ended(p, now);
            if ((i & 1023) == 0) {
                f.cluster.onTick(now);
            }
        }
    }

    private static void assertNoAllocation(DomainFixture f, int portHint) {
        assertNoAllocation(f, portHint, 4);
    }

    /** Publisher calls on {@code portHint}, subscriber calls on {@code portHint + subscriberStep}. */
    private static void assertNoAllocation(DomainFixture f, int portHint, int subscriberStep) {
        cycles(f, WARM_UP, portHint, subscriberStep);
        allocatedBytes();
        long before = allocatedBytes();
        cycles(f, MEASURED, portHint, subscriberStep);
        long used = allocatedBytes() - before;
        assertTrue(used < BOUND_BYTES, used + " bytes allocated over " + MEASURED + " offer/answer/end cycles");
        assertEquals(0, f.cluster.callsInProgress(ServerName.PUBLISHER) + f.cluster.callsInProgress(ServerName.SUBSCRIBER));
    }

    @Test
    void sipTrunk_offerAnswerEnd_allocatesNothing() {
        for (HuntOrder order : HuntOrder.values()) {
            ClusterSettings s = new DomainFixture.Settings().huntOrder(order).build();
            assertNoAllocation(DomainFixture.started(ServerName.PUBLISHER, Integration.SIP_TRUNK, 64, s), -1);
        }
    }

    @Test
    void pimg_offerAnswerEnd_allocatesNothing() {
        // gateway port 3 is the publisher's home port, 8 the subscriber's (PT-1): both answer where they land
        assertNoAllocation(DomainFixture.started(Integration.PIMG, 16), 3, 5);
    }

    @Test
    void sccp_offerAnswerEnd_allocatesNothing() {
        // publisher device 1 (index 1), subscriber device 1 (index 5 = 1 + 4) of N = 4
        assertNoAllocation(DomainFixture.started(Integration.SCCP, 4), 1);
    }
}
