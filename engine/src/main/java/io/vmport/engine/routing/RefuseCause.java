// STAND-IN: replaced by the domain branch
package io.vmport.engine.routing;

/** Why an offered call is refused (SPEC CA-1). Stand-in with the contract's exact constants. */
public enum RefuseCause { NO_PORT_FREE, NOT_TAKING_CALLS, NOT_ALLOWED, PORT_BUSY, UNKNOWN_PORT }
