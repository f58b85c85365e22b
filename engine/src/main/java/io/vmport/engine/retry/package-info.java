/**
 * Retrying what failed: {@link io.vmport.engine.retry.Backoff}, the engine's one delay policy (the peer link's
 * redial, the database writer's retry). The SCCP adapter keeps its own (StationSettings#backoffMs): adapters
 * depend on no other vmport module.
 */
package io.vmport.engine.retry;
