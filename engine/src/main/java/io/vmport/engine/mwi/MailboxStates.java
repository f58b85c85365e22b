package io.vmport.engine.mwi;

import java.util.List;

/**
 * Every mailbox's current counts, read when this server becomes PRIMARY (SPEC MW-3). The message store
 * implements it; called on the MWI checker's thread, so it may read the database.
 */
@FunctionalInterface
public interface MailboxStates {

    /** No mailbox: nothing to send (until the message store provides them). */
    MailboxStates NONE = List::of;

    /** The counts of every mailbox, one entry per extension. */
    List<MailboxCounts> all();
}
