package io.vmport.sccp.codec;

import io.netty.buffer.ByteBuf;

/** One Skinny message: its type and how its payload is written. Implementations are immutable records. */
public interface SkinnyMessage {
    /** Which message this is. */
    MessageType type();

    /** Writes exactly {@code type().payloadBytes()} bytes of payload. */
    void writePayload(ByteBuf out);
}
