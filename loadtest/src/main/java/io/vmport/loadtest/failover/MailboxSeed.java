package io.vmport.loadtest.failover;

import io.vmport.config.ServerName;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxCountsRow;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mailboxes and messages written straight into the shared database before the nodes start, for the MWI tests
 * and the MWI burst benchmark (SPEC MW-3: what a new PRIMARY must send). Mailbox number {@code i} (1-based) of
 * {@code count} has extension {@code first + i - 1}, {@code i % 3} new and {@code i % 2} heard messages of one
 * byte of audio each; {@link #newMessageId} names the new ones.
 */
final class MailboxSeed {
    private MailboxSeed() {
    }

    /** Writes the mailboxes (one transaction) and their messages; returns the extensions. */
    static List<String> write(Database db, int first, int count) {
        List<MailboxRow> rows = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String extension = Integer.toString(first + i - 1);
            rows.add(MailboxRow.of(extension, "Mailbox " + extension));
        }
        if (!db.mailboxes().createAllIfNone(rows, 1_000)) {
            throw new IllegalStateException("the database has mailboxes already: seed a fresh one");
        }
        List<String> extensions = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String extension = rows.get(i - 1).extension();
            extensions.add(extension);
            for (int k = 0; k < i % 3; k++) {
                db.messages().insert(message(newMessageId(extension, k), extension, false), new byte[1]);
            }
            for (int k = 0; k < i % 2; k++) {
                db.messages().insert(message("seed-" + extension + "-old-" + k, extension, true), new byte[1]);
            }
        }
        return extensions;
    }

    /** The id of new message {@code k} of a seeded mailbox (mailbox {@code i} has {@code i % 3} of them). */
    static String newMessageId(String extension, int k) {
        return "seed-" + extension + "-new-" + k;
    }

    /** Every mailbox's counts now, as {@code new/old} by extension: what a lamp should show. */
    static Map<String, String> counts(Database db) {
        Map<String, String> counts = new TreeMap<>();
        for (MailboxCountsRow c : db.messages().countsByMailbox()) {
            counts.put(c.extension(), c.newCount() + "/" + c.oldCount());
        }
        return counts;
    }

    private static MessageRow message(String id, String extension, boolean heard) {
        return new MessageRow(id, extension, "2000", ServerName.PUBLISHER, "seed", 1_000, 2_000, heard);
    }
}
