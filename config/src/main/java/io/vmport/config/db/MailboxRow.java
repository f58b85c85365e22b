package io.vmport.config.db;

/**
 * A mailbox (SPEC MS-3).
 *
 * @param extension   the extension it serves: 1 to {@value #EXTENSION_MAX_CHARS} digits
 * @param name        its name, 1 to {@value #NAME_MAX_CHARS} characters
 * @param hasGreeting whether it has its own recorded greeting
 */
public record MailboxRow(String extension, String name, boolean hasGreeting) {
    public static final int EXTENSION_MAX_CHARS = 32;
    public static final int NAME_MAX_CHARS = 128;

    public MailboxRow {
        requireExtension(extension);
        if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > NAME_MAX_CHARS) {
            throw new IllegalArgumentException("mailbox " + extension + ": name must be 1 to " + NAME_MAX_CHARS
                    + " characters, was " + name);
        }
    }

    /** A new mailbox, without a greeting. */
    public static MailboxRow of(String extension, String name) {
        return new MailboxRow(extension, name, false);
    }

    /** Whether {@code extension} can name a mailbox: 1 to {@value #EXTENSION_MAX_CHARS} digits. */
    public static boolean isExtension(String extension) {
        if (extension == null || extension.isEmpty() || extension.length() > EXTENSION_MAX_CHARS) {
            return false;
        }
        for (int i = 0; i < extension.length(); i++) { // a loop, not a stream: every listed row is checked
            char c = extension.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String requireExtension(String extension) {
        if (!isExtension(extension)) {
            throw new IllegalArgumentException("a mailbox extension is 1 to " + EXTENSION_MAX_CHARS
                    + " digits, was " + extension);
        }
        return extension;
    }
}
