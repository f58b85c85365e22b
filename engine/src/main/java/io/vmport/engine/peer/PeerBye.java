package io.vmport.engine.peer;

import java.util.Objects;

/**
 * The last frame a side sends before it closes a connection on purpose (BYE).
 *
 * @param code   why
 * @param reason in words, for the log; cut to {@value PeerWire#MAX_TEXT_CHARS} chars
 */
record PeerBye(Code code, String reason) implements PeerMessage {

    /** Why a side closes. Wire codes are the positions in {@link #CODES}. */
    enum Code {
        /** The sender stops its link (the node shuts down). */
        STOPPING,
        /** The sender keeps another connection to the receiver and closes this duplicate. */
        DUPLICATE,
        /** The sender refuses what it received on this connection (malformed frame, wrong peer, version). */
        REFUSED,
        /** The sender found this connection silent. */
        SILENT
    }

    static final Code[] CODES = {Code.STOPPING, Code.DUPLICATE, Code.REFUSED, Code.SILENT};

    PeerBye {
        Objects.requireNonNull(code, "code");
        reason = PeerWire.clip(Objects.requireNonNull(reason, "reason"));
    }
}
