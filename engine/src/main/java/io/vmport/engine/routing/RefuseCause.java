package io.vmport.engine.routing;

/**
 * Why an offered call is refused (SPEC CA-1). The SIP adapter maps them: NOT_TAKING_CALLS and OVERLOADED to 503
 * with Retry-After (so the PBX route list tries the other server, and waits before trying this one again),
 * NO_PORT_FREE and PORT_BUSY to 486, NOT_ALLOWED and UNKNOWN_PORT to 403 (the other server would refuse them too).
 */
public enum RefuseCause {
    /** The server takes calls but none of its ports is free, and the other server cannot take the call. */
    NO_PORT_FREE,
    /**
     * SIP: no port is free, but most of the server's calls are still being set up (RINGING): a queue of offers,
     * not a server full of calls, so the call is shed (BI-1) rather than redirected and the flood passed on to the
     * other server (see {@code Router}).
     */
    OVERLOADED,
    /** The server does not take calls: Stop Taking Calls, or a status that answers none (CA-2, CA-3, CA-4). */
    NOT_TAKING_CALLS,
    /** The call may not land here: the SCCP device belongs to the other server, or the port is disabled or
     *  cannot answer calls. */
    NOT_ALLOWED,
    /** The named port (SCCP device, PIMG gateway port) already has a call, on either server. */
    PORT_BUSY,
    /** The named port does not exist. */
    UNKNOWN_PORT
}
