package io.vmport.engine.conversation;

/** Why a recording ended (SPEC MD-4). */
public enum RecordingEnd {
    /** The caller pressed {@code #} (the conversation asked with {@link ConversationOutput#stopRecording}). */
    HASH,
    /**
     * The silence limit passed. The media plane leaves the trailing silence out of the audio and duration it
     * reports, so that a caller who said nothing leaves a message shorter than the minimum.
     */
    SILENCE,
    /** The maximum message length was reached. */
    MAX_LENGTH,
    /** The caller hung up, or the media timed out (MD-5). */
    HANGUP
}
