package io.vmport.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.routing.RefuseCause;
import io.vmport.engine.routing.RoutingDecision;

/**
 * Tells the adapter what the router decided, through the call's {@link CallReply}, and keeps the handle of the
 * call on each port so that a later {@link EventType#HANG_UP} finds it.
 *
 * <p>An offer the router failed on is refused as {@link RefuseCause#NOT_TAKING_CALLS}: a SIP caller gets 503
 * with Retry-After and the PBX tries the other server, rather than waiting for an answer that never comes.
 */
final class ReplyStage implements EventHandler<PipelineEvent> {
    private final CallReply[] replyOnPort;

    ReplyStage(int portCount) {
        this.replyOnPort = new CallReply[portCount];
    }

    @Override
    public void onEvent(PipelineEvent event, long sequence, boolean endOfBatch) {
        switch (event.type) {
            case CALL_OFFERED -> reply(event);
            case CALL_ENDED -> {
                if (event.routed) {
                    replyOnPort[event.port] = null;
                }
            }
            case HANG_UP -> {
                CallReply reply = event.routed ? replyOnPort[event.port] : null;
                if (reply != null) {
                    reply.hangUp();
                }
            }
            case CONVERSATION_CHANGED -> {
            }
            default -> control(event);
        }
    }

    /** Hangs up every call the cluster dropped (CA-5: deactivated, or a server that died). */
    private void control(PipelineEvent event) {
        ActionResult result = event.result;
        if (result != null) {
            for (int i = 0; i < result.droppedCount(); i++) {
                CallReply reply = replyOnPort[result.droppedPort(i)];
                if (reply != null) {
                    reply.hangUp();
                }
            }
        }
    }

    private void reply(PipelineEvent event) {
        CallReply reply = event.reply;
        if (!event.routed) {
            reply.refuse(RefuseCause.NOT_TAKING_CALLS);
            return;
        }
        RoutingDecision decision = event.decision;
        switch (decision.kind()) {
            case ANSWER -> {
                int port = decision.portIndex();
                replyOnPort[port] = reply;
                reply.answer(port);
            }
            case REDIRECT -> reply.redirect(decision.redirectTo());
            case REFUSE -> reply.refuse(decision.cause());
        }
    }
}
