package io.vmport.engine.media;

/** Why a recording ended (SPEC MD-4). */
public enum RecordingEnd {
    /** {@link MediaSession#stopRecording()} (e.g. on {@code #}) or the session was closed (hang-up). */
    STOPPED,
    /** The silence limit passed; the trailing silence is cut off the recording. */
    SILENCE,
    /** The maximum length was reached. */
    MAX_LENGTH
}
