package io.vmport.engine.pipeline;

import io.vmport.config.ServerName;

/**
 * One port as the port monitor shows it (SPEC PM-1), taken from a {@link MonitorSnapshot}. Immutable.
 *
 * @param portIndex   the port's index in the cluster's port plan
 * @param state       its live state
 * @param server      the server handling its call, or null when it has none
 * @param callId      the call on it, or null
 * @param caller      the calling number, or null
 * @param called      the called number, or null
 * @param redirecting the redirecting (forwarding) number, or null
 * @param reason      why the call came to voice messaging, or null
 * @param sinceNs     when it entered this state, in the pipeline clock's nanoseconds
 */
public record PortSnapshot(int portIndex, State state, ServerName server, String callId, String caller,
                           String called, String redirecting, CallReason reason, long sinceNs) {

    /**
     * A port's live state (SPEC PT-2). The pipeline's projection moves ports between IDLE, RINGING and IN_CALL
     * from call events and to OUT_OF_SERVICE and back from device events; DRAINING needs the cluster state
     * and comes with the domain.
     */
    public enum State { IDLE, RINGING, IN_CALL, DRAINING, OUT_OF_SERVICE }
}
