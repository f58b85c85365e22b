/**
 * MWI from the PRIMARY (SPEC MW-1 to MW-3): {@link io.vmport.engine.mwi.MwiPublisher} decides, from the node's
 * cluster view, whether this server sends; the SIP adapter's {@code MwiNotifier} sends (DESIGN 3a). The message
 * store calls {@link io.vmport.engine.mwi.MwiPublisher#mailboxChanged} after every change; for MW-3,
 * {@link io.vmport.engine.mwi.DatabaseMailboxStates} reads every mailbox's counts from the shared database.
 */
package io.vmport.engine.mwi;
