package io.vmport.sccp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns a frame from {@link SkinnyFrameDecoder} ({@code [header version u32 LE][message id u32 LE][payload]})
 * into a {@link SkinnyMessage}. An unknown message id, a payload shorter than its message needs, or a field out
 * of range is a bad message: the connection is closed with one log line (SPEC BI-2) and every later frame is
 * dropped. Any header version is accepted; the payload is read with the version-0 layout and a longer payload's
 * extra bytes are ignored.
 */
public final class SkinnyMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private enum State { READING, BAD }

    private State state = State.READING;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (state == State.BAD) {
            return;
        }
        long length = frame.readableBytes() - 4; // as the length field said: message id and payload
        if (length < SkinnyFrameDecoder.MIN_LENGTH) {
            bad(ctx, "?", length, "frame of " + frame.readableBytes() + " bytes has no message id");
            return;
        }
        frame.skipBytes(4); // header version
        long id = frame.readUnsignedIntLE();
        MessageType type = MessageType.ofId(id);
        if (type == null) {
            bad(ctx, BadFrames.hex(id), length, "unknown message id");
            return;
        }
        int payload = frame.readableBytes();
        if (payload < type.minPayloadBytes()) {
            bad(ctx, BadFrames.hex(id), length, type + " truncated: payload " + payload + " bytes, needs at least "
                    + type.minPayloadBytes());
            return;
        }
        try {
            out.add(Skinny.read(type, frame));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            bad(ctx, BadFrames.hex(id), length, type + " has a bad field: " + e.getMessage());
        }
    }

    private void bad(ChannelHandlerContext ctx, String id, long length, String why) {
        state = State.BAD;
        BadFrames.close(ctx, ctx.channel().remoteAddress(), id, length, why);
    }
}
