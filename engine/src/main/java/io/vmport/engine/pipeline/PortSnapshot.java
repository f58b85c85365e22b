package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import io.vmport.config.ServerName;
import io.vmport.engine.ports.PortState;

/**
 * One port as the port monitor shows it (SPEC PM-1), taken from a {@link MonitorSnapshot}. Immutable.
 *
 * @param portIndex   the port's index in the cluster's port plan
 * @param state       its live state (SPEC PT-2), as the router left it
 * @param server      the server handling its call, or null when it has none
 * @param callId      the call on it, or null
 * @param caller      the calling number, or null
 * @param called      the called number, or null
 * @param redirecting the redirecting (forwarding) number, or null
 * @param reason      why the call came to voice messaging, or null
 * @param sinceNs     when it entered this state, in the pipeline clock's nanoseconds
 * @param conversation the state of the call's conversation (SPEC MD-6, e.g. {@code GREETING}), or null
 * @param mailbox      the mailbox the call's conversation serves, or null
 */
public record PortSnapshot(int portIndex, PortState state, ServerName server, String callId, String caller,
                           String called, String redirecting, CallReason reason, long sinceNs, String conversation,
                           String mailbox) {
    /** A port whose call has no conversation (yet). */
    public PortSnapshot(int portIndex, PortState state, ServerName server, String callId, String caller,
                        String called, String redirecting, CallReason reason, long sinceNs) {
        this(portIndex, state, server, callId, caller, called, redirecting, reason, sinceNs, null, null);
    }
}
