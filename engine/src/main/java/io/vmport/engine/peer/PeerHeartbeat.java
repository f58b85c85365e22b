package io.vmport.engine.peer;

import io.vmport.config.ServerName;

import java.util.Objects;

/**
 * A HEARTBEAT frame: the sender's state, numbered.
 *
 * @param sequence increases by one with every heartbeat a link sends, across its connections
 * @param sender   the server that sent it
 * @param content  what it says about the sender
 */
public record PeerHeartbeat(long sequence, ServerName sender, HeartbeatContent content) implements PeerMessage {

    public PeerHeartbeat {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
        return "heartbeat #" + sequence + " from " + sender.configName() + ": " + content;
    }
}
