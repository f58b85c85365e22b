package io.vmport.engine.conversation;

import java.util.List;
import java.util.Optional;

/**
 * Mailboxes and messages as the conversation sees them (SPEC MS-1). The node implements it over the shared
 * database; the reads may block on it, so the conversation is driven off the media event loops.
 */
public interface MessageStore {

    /** The mailbox of {@code extension}, or empty when there is none. */
    Optional<Mailbox> mailbox(String extension);

    /** The mailbox's own recorded greeting as a WAV file, or empty when it has none. */
    Optional<byte[]> greeting(String extension);

    /** The mailbox's messages, heard or not, newest first; empty for an unknown mailbox. */
    List<MessageSummary> messages(String extension);

    /** A message's audio as a WAV file, or empty when it is gone (deleted meanwhile, e.g. from the other server). */
    Optional<byte[]> audio(String messageId);

    /**
     * Keeps a recorded message: never loses it and never stores it twice, even while the database is
     * unreachable (SPEC MS-2). Does not wait for the database.
     */
    void store(NewMessage message);

    /** Marks a message heard (saved); nothing happens when it is gone. */
    void markHeard(String messageId);

    /** Deletes a message; nothing happens when it is gone. */
    void delete(String messageId);
}
