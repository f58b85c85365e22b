package io.vmport.config.db;

/**
 * What the node learnt from its own database node (the URL's first host) at its last status read, told to the pool
 * so that it stops writing through a node that went silent and goes back once it is Synced (issue 18). The node's
 * probe calls it every heartbeat interval; see {@link Database#ownNodeHealth()}.
 */
public interface OwnNodeHealth {
    /** Does nothing: one host only, nowhere else to go. */
    OwnNodeHealth NONE = new OwnNodeHealth() {
        @Override
        public void silent(Exception cause) {
        }

        @Override
        public void answered(boolean synced) {
        }
    };

    /** The status read failed with {@code cause} (unanswered within its timeout, or no connection): stop using it. */
    void silent(Exception cause);

    /** The node answered; {@code synced}: it applies the others' writes as they come, and may take writes again. */
    void answered(boolean synced);
}
