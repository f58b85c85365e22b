// STAND-IN: replaced by the domain branch
package io.vmport.engine.routing;

import io.vmport.config.ServerName;

/**
 * The router's answer to one offered call, written into a preallocated instance (one per pipeline slot).
 * Stand-in: the public methods are the contract; the setters are package-private so only the router writes.
 */
public final class RoutingDecision {
    public enum Kind { ANSWER, REDIRECT, REFUSE }

    private Kind kind;
    private int portIndex = -1;
    private ServerName redirectTo;
    private RefuseCause cause;

    public Kind kind() {
        return kind;
    }

    public int portIndex() {
        return portIndex;
    }

    public ServerName redirectTo() {
        return redirectTo;
    }

    public RefuseCause cause() {
        return cause;
    }

    public void reset() {
        kind = null;
        portIndex = -1;
        redirectTo = null;
        cause = null;
    }

    void answer(int port) {
        reset();
        kind = Kind.ANSWER;
        portIndex = port;
    }

    void redirect(ServerName to) {
        reset();
        kind = Kind.REDIRECT;
        redirectTo = to;
    }

    void refuse(RefuseCause why) {
        reset();
        kind = Kind.REFUSE;
        cause = why;
    }

    @Override
    public String toString() {
        return kind == null ? "none"
                : switch (kind) {
                    case ANSWER -> "ANSWER port " + portIndex;
                    case REDIRECT -> "REDIRECT to " + redirectTo;
                    case REFUSE -> "REFUSE " + cause;
                };
    }
}
