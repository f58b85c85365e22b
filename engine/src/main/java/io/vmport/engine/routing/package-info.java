/**
 * Call routing (SPEC section 4): the API the pipeline's router stage calls for every offered, answered and ended
 * call ({@link io.vmport.engine.routing.Router}), writing into a reused
 * {@link io.vmport.engine.routing.RoutingDecision}.
 */
package io.vmport.engine.routing;
