package io.vmport.config.db;

import static io.vmport.config.ServerName.PUBLISHER;
import static io.vmport.config.ServerName.SUBSCRIBER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.Integration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The port plan (SPEC PT-1, PT-2): name, server or shared, integration, enabled, capabilities, in plan order. */
class PortRepositoryTest {
    private DatabaseSettings shared;
    private Database db;

    @BeforeEach
    void open() {
        shared = TestDatabase.freshDatabase();
        db = Database.open(shared);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void pt2_aPlanRoundTripsInOrderWithEveryField() {
        List<PortRow> plan = List.of(
                PortRow.owned("sub-2", SUBSCRIBER, Integration.SCCP, true, true, false, true),
                PortRow.owned("pub-1", PUBLISHER, Integration.SCCP, false, false, true, false),
                new PortRow("gw-7", PortRow.SHARED, Integration.PIMG, true, true, true, true));

        assertTrue(db.ports().createPlanIfAbsent(plan));

        List<PortRow> stored = db.ports().all();
        assertEquals(plan, stored);
        assertEquals(Optional.of(SUBSCRIBER), stored.get(0).owner());
        assertTrue(stored.get(2).isShared());
        assertEquals(Optional.empty(), stored.get(2).owner());
    }

    @Test
    void pt1_aPlanIsCreatedOnceEvenWhenBothNodesCreateItTogether() throws Exception {
        try (Database other = Database.open(shared)) {
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService nodes = Executors.newFixedThreadPool(2);
            try {
                Future<Boolean> a = nodes.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return db.ports().createPlanIfAbsent(trunkPlan(16, true));
                });
                Future<Boolean> b = nodes.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return other.ports().createPlanIfAbsent(trunkPlan(16, false));
                });
                assertTrue(a.get(30, TimeUnit.SECONDS) ^ b.get(30, TimeUnit.SECONDS), "exactly one stored its plan");
            } finally {
                nodes.shutdownNow();
            }
        }
        List<PortRow> stored = db.ports().all();
        assertTrue(stored.equals(trunkPlan(16, true)) || stored.equals(trunkPlan(16, false)), "one whole plan");
    }

    @Test
    void st13_thePrimaryReplacesThePlanAndDisablesPorts() throws Exception {
        db.ports().createPlanIfAbsent(trunkPlan(4, true));
        long epoch = db.primaryRole().tryTakePrimary(PUBLISHER, 0).orElseThrow();

        db.ports().replacePlan(trunkPlan(6, true), epoch);
        assertEquals(trunkPlan(6, true), db.ports().all());

        assertTrue(db.ports().setEnabled("sip-3", false, epoch));
        assertFalse(db.ports().setEnabled("no-such-port", false, epoch));
        assertFalse(db.ports().all().get(2).enabled());

        long newer = db.primaryRole().tryTakePrimary(SUBSCRIBER, epoch).orElseThrow();
        assertThrows(StaleEpochException.class, () -> db.ports().replacePlan(trunkPlan(2, true), epoch));
        assertThrows(StaleEpochException.class, () -> db.ports().setEnabled("sip-1", false, epoch));
        assertEquals(6, db.ports().all().size());
        assertFalse(db.ports().createPlanIfAbsent(trunkPlan(2, true)), "a plan exists");
        db.ports().replacePlan(trunkPlan(2, true), newer);
        assertEquals(trunkPlan(2, true), db.ports().all());
    }

    @Test
    void pt1_aPlanWithADuplicateNameIsRefused() {
        PortRow p = PortRow.owned("p", PUBLISHER, Integration.SIP_TRUNK, true, true, true, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> db.ports().createPlanIfAbsent(List.of(p, p)));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new PortRow("x", "both", Integration.SIP_TRUNK, true, true, true, true));
    }

    /** N SIP trunk ports, alternately publisher and subscriber; {@code notify} varies the plan. */
    private static List<PortRow> trunkPlan(int n, boolean notify) {
        List<PortRow> plan = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            plan.add(PortRow.owned("sip-" + i, i % 2 == 1 ? PUBLISHER : SUBSCRIBER, Integration.SIP_TRUNK, true, true,
                    notify, true));
        }
        return plan;
    }
}
