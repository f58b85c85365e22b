/**
 * MWI from the PRIMARY (SPEC MW-1 to MW-3): {@link io.vmport.engine.mwi.MwiPublisher} decides, from the node's
 * cluster view, whether this server sends; the SIP adapter's {@code MwiNotifier} sends (DESIGN 3a). The message
 * store's counts hook calls {@link io.vmport.engine.mwi.MwiService#countsChanged} after every change; a change made
 * on a server that is not PRIMARY goes over the peer link, and the PRIMARY reads its counts again
 * ({@link io.vmport.engine.mwi.MwiPublisher#mailboxChangedOnPeer}); a periodic reconcile on the PRIMARY sends what a
 * lost forward missed. {@link io.vmport.engine.mwi.DatabaseMailboxStates} reads the counts from the shared database,
 * in order with the changes the store tells.
 */
package io.vmport.engine.mwi;
