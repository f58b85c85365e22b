package io.vmport.sip;

/**
 * When the trunk's calls are a queue rather than calls (SPEC CA-1, BI-1; issue 16 item 6): at least {@code ports}
 * calls are up on the trunk, so none of the server's ports is free for a new one, and more than
 * {@code maxSetupPercent} of them are still being set up (offered, or answered and not yet acknowledged). A new
 * INVITE is then shed statelessly with 503 and Retry-After before the stack makes a transaction for it, the same
 * answer the engine's router would give it (OVERLOADED) after queueing it; a server full of connected calls still
 * passes the INVITE on, so that the engine redirects it to the other server.
 *
 * @param ports           the server's ports for SIP calls; {@link Integer#MAX_VALUE} never sheds
 * @param maxSetupPercent 0..100, the share of calls in set-up past which a full trunk is a queue
 */
public record QueueShed(int ports, int maxSetupPercent) {
    /** Never sheds. */
    public static final QueueShed OFF = new QueueShed(Integer.MAX_VALUE, 100);

    public QueueShed {
        if (ports < 1) {
            throw new IllegalArgumentException("queueShed.ports=" + ports + ": must be 1 or more");
        }
        if (maxSetupPercent < 0 || maxSetupPercent > 100) {
            throw new IllegalArgumentException("queueShed.maxSetupPercent=" + maxSetupPercent + ": must be 0..100");
        }
    }

    /** Whether a new INVITE is shed with {@code active} calls up on the trunk, {@code inSetup} of them in set-up. */
    boolean sheds(int active, int inSetup) {
        return active >= ports && 100L * inSetup > (long) maxSetupPercent * active;
    }
}
