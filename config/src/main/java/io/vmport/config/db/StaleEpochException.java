package io.vmport.config.db;

import io.vmport.config.ServerName;

/**
 * A write that only the PRIMARY may make was refused because it carried an epoch that is no longer the current
 * one (SPEC ST-13, the fencing token): another server took the PRIMARY role since. The writer must step down.
 */
public final class StaleEpochException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long heldEpoch;
    private final long currentEpoch;
    private final transient ServerName currentHolder;

    StaleEpochException(String what, long heldEpoch, long currentEpoch, ServerName currentHolder) {
        super("refused to " + what + ": the writer holds epoch " + heldEpoch + " but the current epoch is "
                + currentEpoch + " (PRIMARY: " + (currentHolder == null ? "none" : currentHolder.configName())
                + "); SPEC ST-13");
        this.heldEpoch = heldEpoch;
        this.currentEpoch = currentEpoch;
        this.currentHolder = currentHolder;
    }

    /** The epoch the refused write carried. */
    public long heldEpoch() {
        return heldEpoch;
    }

    /** The epoch in the database when the write was refused. */
    public long currentEpoch() {
        return currentEpoch;
    }

    /** The server holding the PRIMARY role at that epoch, or {@code null} if none ever took it. */
    public ServerName currentHolder() {
        return currentHolder;
    }
}
