package io.vmport.sip;

/**
 * What a mailbox's lamp must show (RFC 3842): its extension and its counts of new and old voice messages.
 * {@code Messages-Waiting} is {@code yes} while {@code newMessages > 0}.
 *
 * @param extension   the mailbox's extension, the user part of the NOTIFY's Request-URI (digits, letters,
 *                    {@code + - . _ * #})
 * @param newMessages messages not yet heard, 0 or more
 * @param oldMessages messages heard and kept, 0 or more
 */
public record MwiState(String extension, int newMessages, int oldMessages) {

    static final String EXTENSION_TEXT = "1 to 32 characters of digits, letters, + - . _ * #";

    public MwiState {
        if (extension == null || !extension.matches("[0-9A-Za-z+\\-._*#]{1,32}")) {
            throw new IllegalArgumentException("mwi extension: " + EXTENSION_TEXT + ", not " + extension);
        }
        if (newMessages < 0 || oldMessages < 0) {
            throw new IllegalArgumentException("mwi " + extension + ": message counts are 0 or more, not new "
                    + newMessages + " old " + oldMessages);
        }
    }

    /** Whether the lamp is on. */
    public boolean waiting() {
        return newMessages > 0;
    }
}
