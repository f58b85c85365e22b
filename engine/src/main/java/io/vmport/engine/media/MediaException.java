package io.vmport.engine.media;

/** The media plane could not start or open a session (no free port, host not bindable); the message says why. */
public final class MediaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
