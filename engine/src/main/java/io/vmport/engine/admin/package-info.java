/**
 * The node's admin HTTP API (SPEC PM-1..PM-4, DESIGN.md section 4): {@link io.vmport.engine.admin.AdminServer} on
 * Netty, answering from an {@link io.vmport.engine.admin.AdminBackend} that the node implements. Queries read the
 * published cluster view and port-monitor snapshot only; actions go through the pipeline. The web console (issue 15)
 * is served here too: static files from the jar's {@code console/} resources, a signed session cookie
 * ({@link io.vmport.engine.admin.ConsoleSessions}) and one Server-Sent Events source per node
 * ({@link io.vmport.engine.admin.ConsoleEvents}).
 */
package io.vmport.engine.admin;
