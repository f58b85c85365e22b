package io.vmport.engine.peer;

import io.vmport.engine.cluster.ServerStatus;

import java.util.Objects;

/**
 * The answer to a forwarded {@link PeerAction} (ACTION_RESULT frame).
 *
 * @param requestId     the action's request id
 * @param ok            done (true) or refused
 * @param reason        why it was refused, or what was done; cut to {@value PeerWire#MAX_TEXT_CHARS} chars
 * @param status        the target server's status afterwards, or null when not known
 * @param callsAffected calls in progress dropped, left to drain, or that would be dropped (ST-4)
 */
public record PeerActionResult(long requestId, boolean ok, String reason, ServerStatus status, int callsAffected)
        implements PeerMessage {

    public PeerActionResult {
        reason = PeerWire.clip(Objects.requireNonNull(reason, "reason"));
        if (callsAffected < 0) {
            throw new IllegalArgumentException("callsAffected must be >= 0, not " + callsAffected);
        }
    }
}
