package io.vmport.engine.conversation;

import java.util.Objects;

/**
 * A stored message without its audio (SPEC MS-1).
 *
 * @param id           made by the node that recorded it, unique in the cluster
 * @param mailbox      the mailbox's extension
 * @param caller       who left it, or null when unknown
 * @param server       the server that took it
 * @param port         the port that took it
 * @param receivedAtMs epoch milliseconds when its recording started
 * @param durationMs   its length
 * @param heard        whether it has been heard (a heard message is a saved one)
 */
public record MessageSummary(String id, String mailbox, String caller, String server, String port,
        long receivedAtMs, long durationMs, boolean heard) {
    public MessageSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mailbox, "mailbox");
    }
}
