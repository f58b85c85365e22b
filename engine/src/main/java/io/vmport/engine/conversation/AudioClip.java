package io.vmport.engine.conversation;

import java.util.Objects;

/**
 * Stored audio to play: a mailbox's own greeting or a message, as the WAV file the message store holds
 * (8 kHz mono; {@link Prompts#decode} turns it into 16-bit linear samples).
 *
 * @param label what it is, for logs: {@code greeting 1001}, {@code message <id>}
 * @param wav   the WAV file's bytes; not copied, not to be changed
 */
public record AudioClip(String label, byte[] wav) implements Clip {
    public AudioClip {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(wav, "wav");
    }

    @Override
    public String toString() {
        return "AudioClip[" + label + ", " + wav.length + " bytes]";
    }
}
