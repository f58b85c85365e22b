/**
 * The peer link between the two servers of the cluster (SPEC ST-8, ST-11, ST-12, ST-13; DESIGN 3): a TCP
 * connection carrying length-prefixed binary frames (layout: {@link io.vmport.engine.peer.PeerFrameDecoder}),
 * heartbeats with each server's status and port-state deltas, silence detection, reconnection with backoff, and
 * administrative actions forwarded to the other node.
 *
 * <p>The link never touches the {@code Cluster}: it hands what it receives to a
 * {@link io.vmport.engine.peer.PeerListener}, which the node turns into pipeline events, and asks a
 * {@link io.vmport.engine.peer.HeartbeatSource} what to send. Public: {@link io.vmport.engine.peer.PeerLink},
 * its configuration, the two callback interfaces and the message records; everything else is package-private.
 */
package io.vmport.engine.peer;
