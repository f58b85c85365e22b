package io.vmport.config.db;

/**
 * What deleting a mailbox did (SPEC MS-3).
 *
 * @param outcome  deleted, refused for its messages, or no such mailbox
 * @param messages the messages deleted with it ({@link Outcome#DELETED}) or that refused it
 *                 ({@link Outcome#HAS_MESSAGES}); 0 otherwise
 */
public record MailboxDeletion(Outcome outcome, int messages) {
    /** How a deletion ended. */
    public enum Outcome {
        /** The mailbox and its messages are gone. */
        DELETED,
        /** Nothing changed: it has messages and the deletion was not forced. */
        HAS_MESSAGES,
        /** Nothing changed: there is no such mailbox. */
        NO_MAILBOX
    }

    static final MailboxDeletion NO_MAILBOX = new MailboxDeletion(Outcome.NO_MAILBOX, 0);
}
