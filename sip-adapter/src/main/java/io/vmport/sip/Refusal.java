package io.vmport.sip;

/** How the engine refuses an offered call, with the SIP final response each one sends. */
public enum Refusal {
    /** No port free: 486 Busy Here. */
    BUSY(486),
    /**
     * This server does not take calls: 503 Service Unavailable with Retry-After (the configured seconds), so
     * that the PBX route list tries the other server.
     */
    NOT_TAKING_CALLS(503),
    /** The call is not allowed: 403 Forbidden. */
    FORBIDDEN(403);

    private final int statusCode;

    Refusal(int statusCode) {
        this.statusCode = statusCode;
    }

    /** The SIP status code sent for this refusal. */
    public int statusCode() {
        return statusCode;
    }
}
