package io.vmport.engine.node;

import java.util.Objects;

/**
 * A node cannot start: the message says which start-up step failed (what it was doing, on which address, URL or
 * path) and the root cause, e.g. {@code listening for SIP on 127.0.0.1:5060 (udp and tcp) failed: Address already
 * in use (BindException)}. Never a bare {@code null}: a cause without a message is named by its class.
 */
public final class NodeStartException extends RuntimeException {

    /** A start-up step that returns nothing. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** A start-up step that returns what it made. */
    @FunctionalInterface
    public interface Making<T> {
        T make() throws Exception;
    }

    public NodeStartException(String message) {
        super(message);
    }

    private NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Runs one start-up step. Netty rethrows checked exceptions (a {@link java.net.BindException}) without
     * declaring them, so everything but an {@link Error} is caught here and named.
     *
     * @param doing what the step does, with its address, URL (without the password) or path
     */
    public static void run(String doing, Step step) {
        make(doing, () -> {
            step.run();
            return null;
        });
    }

    /** As {@link #run}, for a step that makes something. */
    public static <T> T make(String doing, Making<T> step) {
        try {
            return step.make();
        } catch (Exception e) {
            throw during(doing, e);
        }
    }

    /**
     * The failure of the step {@code doing}: {@code doing failed: root cause}, or, when {@code e} is already a
     * start failure, {@code doing: its message} (the inner step stays named).
     */
    public static NodeStartException during(String doing, Throwable e) {
        Objects.requireNonNull(doing, "doing");
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return e instanceof NodeStartException inner
                ? new NodeStartException(doing + ": " + inner.getMessage(), inner)
                : new NodeStartException(doing + " failed: " + rootCause(e), e);
    }

    /** What went wrong, for a console line: the message of a start failure, else the root cause; never null. */
    public static String explain(Throwable e) {
        return e instanceof NodeStartException ? e.getMessage() : rootCause(e);
    }

    /** The deepest cause's message and class, e.g. {@code Connection refused (ConnectException)}. */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name = root.getClass().getSimpleName();
        String message = root.getMessage();
        return message == null || message.isBlank() ? name + " (no message)" : message + " (" + name + ")";
    }
}
