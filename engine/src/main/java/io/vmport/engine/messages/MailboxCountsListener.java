package io.vmport.engine.messages;

/**
 * Learns a mailbox's counts after every change that may move them (SPEC MW-1): a message stored, marked heard
 * (by phone or API), deleted, or its mailbox deleted (then 0 and 0). Called after the database change succeeded,
 * on the thread that made it, one call at a time per node, so the last call for an extension carries counts read
 * after its last change. It must return at once (hand the state to its own thread) and not throw.
 */
@FunctionalInterface
public interface MailboxCountsListener {
    /** Listens to nothing. */
    MailboxCountsListener NONE = (extension, newCount, oldCount) -> {
    };

    /** Mailbox {@code extension} now has {@code newCount} new and {@code oldCount} old messages. */
    void onCountsChanged(String extension, int newCount, int oldCount);
}
