package io.vmport.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An administrative action (SPEC PM-3) travelling through the ring. The router stage performs it on the cluster
 * and publishes the new cluster view, the reply stage hangs up any call it dropped (CA-5), the monitor stage
 * publishes its snapshot at once, and the release stage, after all of them, completes {@link #result()}: whoever
 * asked learns the outcome only once every query of this node shows it (PM-2) and the calls it affects are being
 * ended.
 *
 * <p>A request {@link #answeredByPeer answered by the other server's node} travels the same way without being
 * performed here: it completes once this node shows what that node's heartbeat, sent before the answer, said.
 */
public final class AdminRequest {
    private final AdminAction action;
    private final ServerName target;
    private final boolean force;
    private final ActionResult peerAnswer;
    private final CompletableFuture<ActionResult> result = new CompletableFuture<>();

    public AdminRequest(AdminAction action, ServerName target, boolean force) {
        this(action, target, force, null);
    }

    private AdminRequest(AdminAction action, ServerName target, boolean force, ActionResult peerAnswer) {
        this.action = Objects.requireNonNull(action, "action");
        this.target = Objects.requireNonNull(target, "target");
        this.force = force;
        this.peerAnswer = peerAnswer;
    }

    /** The action performed by the other server's node, with its answer (publish with {@link PipelineProducer#peerAnswered}). */
    public static AdminRequest answeredByPeer(AdminAction action, ServerName target, boolean force,
                                              ActionResult answer) {
        return new AdminRequest(action, target, force, Objects.requireNonNull(answer, "answer"));
    }

    /** The other node's answer, or null when this node performs the action. */
    ActionResult peerAnswer() {
        return peerAnswer;
    }

    public AdminAction action() {
        return action;
    }

    public ServerName target() {
        return target;
    }

    public boolean force() {
        return force;
    }

    /** Completes with the cluster's answer: done, or refused with the reason. */
    public CompletableFuture<ActionResult> result() {
        return result;
    }

    @Override
    public String toString() {
        return action.pathName() + " " + target.configName() + (force ? " --force" : "");
    }
}
