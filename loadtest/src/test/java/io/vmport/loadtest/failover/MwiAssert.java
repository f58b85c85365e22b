package io.vmport.loadtest.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmport.loadtest.sipp.MwiPbx;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the PBX's MWI receiver got, checked against the mailboxes' counts (SPEC MW-1, MW-3). */
final class MwiAssert {
    private MwiAssert() {
    }

    /**
     * MW-3: {@code notifies} are exactly one NOTIFY per mailbox of {@code expected} ({@code new/old} by extension),
     * each with those counts, all sent by {@code sender} ({@code host:port}).
     */
    static void oncePerMailbox(List<MwiPbx.Notify> notifies, String sender, Map<String, String> expected, String what) {
        Map<String, String> got = new TreeMap<>();
        for (MwiPbx.Notify n : notifies) {
            assertEquals(sender, n.sender(), what + ": sent by " + sender + " only: " + n);
            String before = got.put(n.extension(), n.counts());
            assertEquals(null, before, what + ": mailbox " + n.extension() + " sent twice: " + notifies);
        }
        assertEquals(expected, got, what + ": one NOTIFY per mailbox with its counts");
    }

    /** The NOTIFYs received after the first {@code from}, in order. */
    static List<MwiPbx.Notify> since(MwiPbx pbx, int from) {
        List<MwiPbx.Notify> all = pbx.received();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    /** The receiver checked every NOTIFY's headers and body: none failed a regular expression. */
    static void noneFailedItsChecks(MwiPbx pbx) {
        String errors = pbx.errors();
        assertEquals(false, errors.contains("Failed regexp"), "a NOTIFY failed the receiver's checks:\n" + errors);
    }
}
