package io.vmport.engine.routing;

import io.vmport.config.ServerName;

/**
 * What the router decided for one offered call (SPEC CA-1): answer on a port, redirect to the other server (SIP),
 * or refuse with a cause. Mutable and reused: one lives in each ring slot and {@link Router#offer} overwrites it,
 * so deciding allocates nothing.
 */
public final class RoutingDecision {

    public enum Kind { ANSWER, REDIRECT, REFUSE }

    private Kind kind;
    private int portIndex = -1;
    private ServerName redirectTo;
    private RefuseCause cause;

    /** ANSWER, REDIRECT or REFUSE; null after {@link #reset()} until a decision is written. */
    public Kind kind() {
        return kind;
    }

    /** The port that answers (ANSWER), else -1. */
    public int portIndex() {
        return portIndex;
    }

    /** The server to redirect to (REDIRECT), else null. */
    public ServerName redirectTo() {
        return redirectTo;
    }

    /** Why it is refused (REFUSE), else null. */
    public RefuseCause cause() {
        return cause;
    }

    public void reset() {
        kind = null;
        portIndex = -1;
        redirectTo = null;
        cause = null;
    }

    public RoutingDecision answer(int portIndex) {
        reset();
        this.kind = Kind.ANSWER;
        this.portIndex = portIndex;
        return this;
    }

    public RoutingDecision redirect(ServerName to) {
        reset();
        this.kind = Kind.REDIRECT;
        this.redirectTo = to;
        return this;
    }

    public RoutingDecision refuse(RefuseCause cause) {
        reset();
        this.kind = Kind.REFUSE;
        this.cause = cause;
        return this;
    }

    public boolean isAnswer() {
        return kind == Kind.ANSWER;
    }

    public boolean isRedirect() {
        return kind == Kind.REDIRECT;
    }

    public boolean isRefuse() {
        return kind == Kind.REFUSE;
    }

    @Override
    public String toString() {
        if (kind == null) {
            return "RoutingDecision[none]";
        }
        switch (kind) {
            case ANSWER: return "RoutingDecision[ANSWER port " + portIndex + "]";
            case REDIRECT: return "RoutingDecision[REDIRECT " + redirectTo.configName() + "]";
            default: return "RoutingDecision[REFUSE " + cause + "]";
        }
    }
}
