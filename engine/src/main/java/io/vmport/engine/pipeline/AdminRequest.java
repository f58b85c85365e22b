package io.vmport.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An administrative action (SPEC PM-3) travelling through the ring. The router stage performs it on the cluster;
 * the reply stage hangs up any call it dropped (CA-5) and then completes {@link #result()}, so whoever asked
 * learns the outcome only once the calls it affects are being ended.
 */
public final class AdminRequest {
    private final AdminAction action;
    private final ServerName target;
    private final boolean force;
    private final CompletableFuture<ActionResult> result = new CompletableFuture<>();

    public AdminRequest(AdminAction action, ServerName target, boolean force) {
        this.action = Objects.requireNonNull(action, "action");
        this.target = Objects.requireNonNull(target, "target");
        this.force = force;
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
