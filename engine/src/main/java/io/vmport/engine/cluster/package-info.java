/**
 * The cluster view each node holds (SPEC sections 1 and 2): server statuses and their capabilities, the epoch,
 * the taking-calls flags, the peer link, automatic and administrative status changes, and the alarms they raise.
 * Plain Java: no I/O, no clock; {@link io.vmport.engine.cluster.Cluster} is driven by events that carry
 * {@code nowNs} and leaves work for its node as {@link io.vmport.engine.cluster.Effect}s. It answers queries and
 * owns the one transition; package-private collaborators hold the rules: {@code AdminActions} (PM-3),
 * {@code PeerWatch} (ST-8, ST-11), {@code AutomaticChanges} (ST-7, ST-9, ST-10, REPLICATING_DATA) and
 * {@code SplitBrainAndEpochs} (ST-12, ST-13).
 */
package io.vmport.engine.cluster;
