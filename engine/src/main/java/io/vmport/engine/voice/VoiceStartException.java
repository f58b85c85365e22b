package io.vmport.engine.voice;

/** The media plane cannot start: the message names the host, the RTP range and the cause. */
public final class VoiceStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    VoiceStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
