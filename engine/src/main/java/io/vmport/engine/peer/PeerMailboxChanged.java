package io.vmport.engine.peer;

import java.util.Objects;

/**
 * A mailbox's messages changed on the sender (MAILBOX_CHANGED frame, SPEC MW-1): the receiver, when PRIMARY, reads
 * the mailbox's counts again from the shared database and sends its MWI. No answer; lost with the link (the
 * PRIMARY's reconcile covers that). Only sent to a peer of protocol version 3 or later.
 *
 * @param extension the mailbox's extension, 1 to {@value PeerWire#MAX_EXTENSION_BYTES} ASCII characters
 */
public record PeerMailboxChanged(String extension) implements PeerMessage {

    public PeerMailboxChanged {
        Objects.requireNonNull(extension, "extension");
        if (extension.isEmpty() || extension.length() > PeerWire.MAX_EXTENSION_BYTES
                || !extension.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("a mailbox extension is 1 to " + PeerWire.MAX_EXTENSION_BYTES
                    + " printable ASCII characters, was '" + extension + "'");
        }
    }
}
