/**
 * The node's admin HTTP API (SPEC PM-1..PM-4, DESIGN.md section 4): {@link io.vmport.engine.admin.AdminServer} on
 * Netty, answering from an {@link io.vmport.engine.admin.AdminBackend} that the node implements. Queries read the
 * published cluster view and port-monitor snapshot only; actions go through the pipeline.
 */
package io.vmport.engine.admin;
