package io.vmport.engine.mwi;

/**
 * A mailbox's message counts, as the message store knows them: what its lamp must show (SPEC MW-1).
 *
 * @param extension   the mailbox's extension
 * @param newMessages messages not yet heard
 * @param oldMessages messages heard and kept
 */
public record MailboxCounts(String extension, int newMessages, int oldMessages) {
}
