package io.vmport.engine.conversation;

import java.util.Objects;

/**
 * What the conversation knows of the call it serves (SPEC MD-3).
 *
 * @param caller       the From user part (e.g. {@code 1001}), or null when the caller is anonymous
 * @param redirecting  the redirecting number from {@code Diversion} (RFC 5806) or {@code History-Info} (RFC 7044),
 *                     or null when the call was not forwarded
 * @param called       the Request-URI user part, or null
 * @param server       the server that took the call ({@code publisher}, {@code subscriber}), stored with a message
 * @param port         the port that took the call, stored with a message
 * @param answeredAtMs wall-clock epoch milliseconds when the call was answered, the time {@link Conversation#start}
 *                     is called: a message's received time is counted from it
 */
public record CallInfo(String caller, String redirecting, String called, String server, String port,
        long answeredAtMs) {
    public CallInfo {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(port, "port");
    }
}
