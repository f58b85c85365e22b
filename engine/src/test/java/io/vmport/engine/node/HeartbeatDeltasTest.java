package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.engine.peer.PortDelta;
import io.vmport.engine.ports.PortState;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** ST-11: what port states the heartbeats carry, so the other node can keep PIMG shared ports single (PT-1). */
class HeartbeatDeltasTest {
    private final PortState[] ports = new PortState[10];
    private final HeartbeatDeltas deltas = new HeartbeatDeltas();

    HeartbeatDeltasTest() {
        Arrays.fill(ports, PortState.IDLE);
    }

    private List<PortDelta> next(int max) {
        return deltas.next(ports.length, p -> ports[p], max);
    }

    @Test
    void st11_aNewLinkHearsEveryPortThatIsNotIdle_thenOnlyChanges() {
        ports[2] = PortState.IN_CALL;
        ports[7] = PortState.DRAINING;
        assertEquals(List.of(new PortDelta(2, PortState.IN_CALL, 0), new PortDelta(7, PortState.DRAINING, 0)), next(100));
        assertEquals(List.of(), next(100), "nothing changed");
        ports[2] = PortState.IDLE;
        ports[3] = PortState.RINGING;
        assertEquals(List.of(new PortDelta(3, PortState.RINGING, 0), new PortDelta(2, PortState.IDLE, 0)).size(),
                next(100).size());
        deltas.linkUp();
        List<PortDelta> again = next(100);
        assertEquals(2, again.size(), "a new link is told again: " + again);
        assertTrue(again.contains(new PortDelta(3, PortState.RINGING, 0)) && again.contains(new PortDelta(7,
                PortState.DRAINING, 0)), again.toString());
    }

    @Test
    void st11_moreChangesThanAHeartbeatCarries_goOutInTheNextOnes_noPortStarves() {
        Arrays.fill(ports, PortState.IN_CALL);
        Set<Integer> told = new TreeSet<>();
        for (int hb = 0; hb < 3; hb++) {
            List<PortDelta> d = next(4);
            assertTrue(d.size() <= 4, d.toString());
            d.forEach(x -> told.add(x.port()));
        }
        assertEquals(10, told.size(), told.toString());
        assertEquals(List.of(), next(4));
        ports[0] = PortState.IDLE;
        ports[9] = PortState.IDLE;
        assertEquals(2, next(4).size());
    }
}
