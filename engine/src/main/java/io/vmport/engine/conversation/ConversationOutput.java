package io.vmport.engine.conversation;

import java.util.List;

/**
 * What a {@link Conversation} asks of the media plane for its call. Every call comes from the thread that
 * drives the conversation, inside one of its event methods; an implementation must not call back into the
 * conversation from inside these methods (queue the event instead).
 */
public interface ConversationOutput {

    /**
     * Plays the clips in order, replacing whatever was playing. When the last clip has been sent to its end the
     * media plane calls {@link Conversation#playbackDone} once; a list that was replaced or stopped gets none.
     */
    void play(List<Clip> clips);

    /** Stops what is playing, with no {@link Conversation#playbackDone} for it; nothing when nothing plays. */
    void stopPlayback();

    /**
     * Starts recording what the caller says. The media plane ends the recording at {@code maxMs} or after
     * {@code silenceMs} of silence and then calls {@link Conversation#recordingEnded} (MD-4).
     */
    void startRecording(long maxMs, long silenceMs);

    /**
     * Ends the recording now ({@code #} pressed, or the caller hung up); the media plane answers with exactly one
     * {@link Conversation#recordingEnded}, with the audio recorded so far.
     */
    void stopRecording();

    /** Ends the call from this side (BYE for SIP, on hook for SCCP). The conversation is over. */
    void hangUp();

    /** The conversation moved to {@code state}; {@code mailbox} is the extension it serves, or null (MD-6). */
    default void stateChanged(ConversationState state, String mailbox, long nowNs) {
    }
}
