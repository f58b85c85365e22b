package io.vmport.engine.node;

/** A node cannot start: the message says why, with the state that explains it. */
public final class NodeStartException extends RuntimeException {
    public NodeStartException(String message) {
        super(message);
    }
}
