package io.vmport.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.routing.RefuseCause;

/**
 * The adapter's handle on one call: how the engine answers it. The SIP and SCCP adapters implement it, one
 * instance per call, and hand it over with the offer.
 *
 * <p>Called on the pipeline's reply thread, one call at a time. An implementation must return quickly and never
 * block; above all it must not publish into the pipeline with a blocking method (the reply stage would wait for
 * ring capacity that only it can free). Hand the work to the adapter's own thread instead.
 */
public interface CallReply {
    /** A port takes the call (SIP 180/200 with SDP; SCCP rings the device). */
    void answer(int portIndex);

    /** The other server should take the call (SIP only, SPEC CA-1). */
    void redirect(ServerName to);

    /** No port takes the call (SIP 486 for busy, 503 with Retry-After when not taking calls, SPEC CA-2). */
    void refuse(RefuseCause cause);

    /** The engine drops a call it answered earlier (SPEC CA-5: callers get BYE, SCCP ports go on hook). */
    void hangUp();
}
