package io.vmport.engine.messages;

import io.vmport.config.db.MessageRow;
import java.util.Objects;

/** A message as the spool keeps it: its row and its audio (an 8 kHz mono WAV file). */
record SpooledMessage(MessageRow row, byte[] audio) {
    SpooledMessage {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(audio, "audio");
    }

    @Override
    public String toString() {
        return "SpooledMessage[" + row + ", " + audio.length + " bytes]";
    }
}
