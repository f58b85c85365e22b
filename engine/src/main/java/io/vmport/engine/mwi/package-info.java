/**
 * MWI from the PRIMARY (SPEC MW-1 to MW-3): {@link io.vmport.engine.mwi.MwiPublisher} decides, from the node's
 * cluster view, whether this server sends; the SIP adapter's {@code MwiNotifier} sends (DESIGN 3a). The message
 * store calls {@link io.vmport.engine.mwi.MwiPublisher#mailboxChanged} after every change and implements
 * {@link io.vmport.engine.mwi.MailboxStates} for MW-3.
 */
package io.vmport.engine.mwi;
