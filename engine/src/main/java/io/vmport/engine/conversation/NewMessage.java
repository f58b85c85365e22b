package io.vmport.engine.conversation;

import java.util.Objects;

/**
 * A message just recorded, handed to {@link MessageStore#store}; the store gives it its id.
 *
 * @param mailbox      the mailbox's extension
 * @param caller       who left it, or null when unknown
 * @param server       the server that took it
 * @param port         the port that took it
 * @param receivedAtMs epoch milliseconds when its recording started
 * @param durationMs   its length, at least the minimum message length (MD-4)
 * @param wav          its audio as an 8 kHz mono WAV file, as the media plane reported it
 */
public record NewMessage(String mailbox, String caller, String server, String port, long receivedAtMs,
        long durationMs, byte[] wav) {
    public NewMessage {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(wav, "wav");
    }

    @Override
    public String toString() {
        return "NewMessage[mailbox=" + mailbox + ", caller=" + caller + ", server=" + server + ", port=" + port
                + ", receivedAtMs=" + receivedAtMs + ", durationMs=" + durationMs + ", " + wav.length + " bytes]";
    }
}
