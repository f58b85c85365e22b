package io.vmport.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BI-1: the memory of INVITEs refused for overload or let in, so that their retransmissions are not new calls. */
class RecentInvitesTest {
    private final RecentInvites shed = new RecentInvites();

    @Test
    void remembersARefusedInviteByTransactionIdAndNothingElse() {
        shed.remember("z9hg4bk-1-0");
        assertTrue(shed.contains("z9hg4bk-1-0"));
        assertFalse(shed.contains("z9hg4bk-1-1"));
        assertFalse(shed.contains("z9hg4bk-2-0"));
        assertFalse(shed.contains(""));
    }

    @Test
    void addIsTrueOnlyForTheFirstSightingOfAnId() {
        assertTrue(shed.add("z9hg4bk-7-0"));
        assertFalse(shed.add("z9hg4bk-7-0"));
        assertTrue(shed.contains("z9hg4bk-7-0"));
        assertTrue(shed.add("z9hg4bk-8-0"));
    }

    @Test
    void isBoundedTheOldestEntriesGiveWayToNewOnes() {
        for (int i = 0; i < 4 * RecentInvites.SLOTS; i++) {
            shed.remember("z9hg4bk-" + i);
        }
        int kept = 0;
        for (int i = 0; i < RecentInvites.SLOTS; i++) { // the first quarter: nearly all overwritten
            kept += shed.contains("z9hg4bk-" + i) ? 1 : 0;
        }
        assertTrue(kept < RecentInvites.SLOTS / 10, kept + " of the oldest ids still remembered");
        int recent = 0;
        for (int i = 4 * RecentInvites.SLOTS - 1_000; i < 4 * RecentInvites.SLOTS; i++) {
            recent += shed.contains("z9hg4bk-" + i) ? 1 : 0;
        }
        assertTrue(recent > 980, recent + " of the newest 1,000 ids remembered");
    }
}
