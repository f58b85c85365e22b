package io.vmport.engine.cluster;

import org.junit.jupiter.api.Test;

import static io.vmport.engine.cluster.ServerStatus.DEACTIVATED;
import static io.vmport.engine.cluster.ServerStatus.NOT_FUNCTIONING;
import static io.vmport.engine.cluster.ServerStatus.PRIMARY;
import static io.vmport.engine.cluster.ServerStatus.REPLICATING_DATA;
import static io.vmport.engine.cluster.ServerStatus.SECONDARY;
import static io.vmport.engine.cluster.ServerStatus.SPLIT_BRAIN_RECOVERY;
import static io.vmport.engine.cluster.ServerStatus.STARTING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SPEC section 2: the capability table, row by row. */
class ServerStatusTest {

    private static void row(ServerStatus s, boolean calls, boolean publishes, boolean admin, boolean replication) {
        assertEquals(calls, s.answersCalls(), s + " answers calls");
        assertEquals(publishes, s.publishesData(), s + " publishes data");
        assertEquals(admin, s.acceptsAdminChanges(), s + " accepts admin changes");
        assertEquals(replication, s.receivesReplication(), s + " receives replication");
    }

    @Test
    void statusTable_capabilitiesAsSpecified() {
        row(PRIMARY, true, true, true, true);
        row(SECONDARY, true, false, true, true);
        row(DEACTIVATED, false, false, true, true);
        row(NOT_FUNCTIONING, false, false, false, false);
        row(STARTING, false, false, false, true);
        row(REPLICATING_DATA, false, false, false, true);
        row(SPLIT_BRAIN_RECOVERY, false, false, false, true);
        assertEquals(7, ServerStatus.values().length);
    }

    @Test
    void statusTable_shortLivedStatusesAreTransient() {
        for (ServerStatus s : ServerStatus.values()) {
            boolean expected = s == STARTING || s == REPLICATING_DATA || s == SPLIT_BRAIN_RECOVERY;
            assertEquals(expected, s.isTransient(), s.name());
        }
    }
}
