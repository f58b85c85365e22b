package io.vmport.engine.routing;

import io.vmport.config.ClusterSettings;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.DomainFixture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DESIGN 2: finding an idle port is O(1) whatever the port count; checked for correctness at 100,000 ports. */
class RouterScaleTest {

    private static final int PER_SERVER = 100_000;

    private static DomainFixture fullButTheLast(HuntOrder order) {
        ClusterSettings s = new DomainFixture.Settings().huntOrder(order).build();
        DomainFixture f = DomainFixture.started(ServerName.PUBLISHER, Integration.SIP_TRUNK, 2 * PER_SERVER, s);
        for (int i = 0; i < PER_SERVER - 1; i++) {
            f.router.offer(ServerName.PUBLISHER, -1, f.now, f.decision);
            f.router.answered(f.decision.portIndex(), f.now);
        }
        assertEquals(PER_SERVER - 1, f.cluster.callsInProgress(ServerName.PUBLISHER));
        return f;
    }

    @Test
    void hundredThousandPortsAllBusyButTheLast_theLastIsFound() {
        for (HuntOrder order : HuntOrder.values()) {
            DomainFixture f = fullButTheLast(order);
            RoutingDecision d = f.offer(ServerName.PUBLISHER);
            assertTrue(d.isAnswer(), order + ": " + d);
            assertEquals(PER_SERVER - 1, d.portIndex(), order.name());
            assertEquals(ServerName.SUBSCRIBER, f.offer(ServerName.PUBLISHER).redirectTo(), order.name());
        }
    }

    @Test
    void hundredThousandPorts_aMillionCyclesNearlyFull_stayFast() {
        // A linear scan over 100,000 ports per call would need about 10^11 steps here; O(1) needs well under a second.
        for (HuntOrder order : HuntOrder.values()) {
            DomainFixture f = fullButTheLast(order);
            long start = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) {
                f.router.offer(ServerName.PUBLISHER, -1, f.now, f.decision);
                int p = f.decision.portIndex();
                f.router.answered(p, f.now);
                // end a different call each time so the free port wanders across the whole range
                int victim = (int) ((i * 7_919L) % PER_SERVER);
                f.router.ended(victim == p ? p : victim, f.now);
                if (victim != p) {
                    f.router.ended(p, f.now);
                    f.router.offer(ServerName.PUBLISHER, -1, f.now, f.decision);
                    f.router.answered(f.decision.portIndex(), f.now);
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 20_000, order + ": 1,000,000 cycles took " + ms + " ms");
            assertEquals(PER_SERVER - 1, f.cluster.callsInProgress(ServerName.PUBLISHER));
        }
    }
}
