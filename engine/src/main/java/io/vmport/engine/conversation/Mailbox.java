package io.vmport.engine.conversation;

import java.util.Objects;

/**
 * A mailbox (SPEC MS-3).
 *
 * @param extension   the extension it serves, digits only
 * @param name        its name, e.g. {@code Mailbox 1001}
 * @param hasGreeting whether it has its own recorded greeting
 */
public record Mailbox(String extension, String name, boolean hasGreeting) {
    public Mailbox {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(name, "name");
    }
}
