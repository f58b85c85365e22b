package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BI-1: the memory of INVITEs refused for overload, so that their retransmissions are refused too. */
class ShedInvitesTest {
    private final ShedInvites shed = new ShedInvites();

    @Test
    void remembersARefusedInviteByTransactionIdAndNothingElse() {
        shed.remember("z9hg4bk-1-0");
        assertTrue(shed.contains("z9hg4bk-1-0"));
        assertFalse(shed.contains("z9hg4bk-1-1"));
        assertFalse(shed.contains("z9hg4bk-2-0"));
        assertFalse(shed.contains(""));
    }

    @Test
    void isBoundedTheOldestEntriesGiveWayToNewOnes() {
        for (int i = 0; i < 4 * ShedInvites.SLOTS; i++) {
            shed.remember("z9hg4bk-" + i);
        }
        int kept = 0;
        for (int i = 0; i < ShedInvites.SLOTS; i++) { // the first quarter: nearly all overwritten
            kept += shed.contains("z9hg4bk-" + i) ? 1 : 0;
        }
        assertTrue(kept < ShedInvites.SLOTS / 10, kept + " of the oldest ids still remembered");
        int recent = 0;
        for (int i = 4 * ShedInvites.SLOTS - 1_000; i < 4 * ShedInvites.SLOTS; i++) {
            recent += shed.contains("z9hg4bk-" + i) ? 1 : 0;
        }
        assertTrue(recent > 980, recent + " of the newest 1,000 ids remembered");
    }
}
