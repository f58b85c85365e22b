/**
 * The voice-messaging ports (SPEC section 3): the plan derived from the integration and N
 * ({@link io.vmport.engine.ports.PortPlan}), and the live state of every port with per-owner idle pools in hunt
 * order ({@link io.vmport.engine.ports.PortTable}). Per-call operations are O(1) and allocation-free.
 */
package io.vmport.engine.ports;
