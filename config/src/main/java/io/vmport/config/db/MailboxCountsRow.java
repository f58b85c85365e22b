package io.vmport.config.db;

/**
 * A mailbox's message counts: what its message-waiting lamp must show (SPEC MW-1, MW-3).
 *
 * @param extension the mailbox's extension
 * @param newCount  messages not heard yet
 * @param oldCount  messages heard and kept
 */
public record MailboxCountsRow(String extension, int newCount, int oldCount) {
    public MailboxCountsRow {
        MailboxRow.requireExtension(extension);
        if (newCount < 0 || oldCount < 0) {
            throw new IllegalArgumentException("mailbox " + extension + ": counts must not be negative, were "
                    + newCount + " new, " + oldCount + " old");
        }
    }
}
