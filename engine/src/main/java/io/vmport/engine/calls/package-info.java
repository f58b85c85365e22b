/**
 * Values that describe a call, shared by the pipeline (which routes and records calls) and the peer link
 * (which carries a call's port state to the other server): kept here so that neither imports the other for
 * them.
 */
package io.vmport.engine.calls;
