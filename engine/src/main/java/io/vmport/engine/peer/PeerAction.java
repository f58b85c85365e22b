package io.vmport.engine.peer;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AdminAction;

import java.util.Objects;

/**
 * An administrative action (PM-3) forwarded to the other node (ACTION frame). The receiver answers with a
 * {@link PeerActionResult} carrying the same {@code requestId}, through {@link PeerLink#reply}.
 *
 * @param requestId chosen by the sending link, unique for its lifetime
 * @param action    the action; on the wire by its path name, e.g. {@code make-primary}
 * @param target    the server it applies to
 * @param force     the force flag (Deactivate with calls up, ST-4)
 */
public record PeerAction(long requestId, AdminAction action, ServerName target, boolean force)
        implements PeerMessage {

    public PeerAction {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
    }
}
