/**
 * One server of the cluster as a running process (DESIGN section 3): {@link io.vmport.engine.node.Node} wires the
 * database, the domain, the pipeline, the peer link and the SIP trunk together; {@link
 * io.vmport.engine.node.DemoCluster} runs both servers in one JVM on loopback for {@code vmport demo}. The bridges
 * here are package-private: they turn what the adapters and the peer link report into ring events, and the
 * pipeline's decisions and records into SIP answers and database rows.
 */
package io.vmport.engine.node;
