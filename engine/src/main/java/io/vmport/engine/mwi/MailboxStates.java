package io.vmport.engine.mwi;

import java.util.List;

/**
 * Every mailbox's current counts, read when this server becomes PRIMARY (SPEC MW-3); the node's is
 * {@link DatabaseMailboxStates}. Called on the MWI checker's thread, so it may read the database.
 */
@FunctionalInterface
public interface MailboxStates {

    /** The counts of every mailbox, one entry per extension. */
    List<MailboxCounts> all();
}
