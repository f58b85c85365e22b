package io.vmport.sccp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link SkinnyMessage} as one frame, {@code [length][header version 0][message id][payload]}, all u32
 * little-endian, length = 4 + payload (message id and payload; see {@link SkinnyFrameDecoder}). Stateless: one instance serves every channel.
 */
@Sharable
public final class SkinnyEncoder extends MessageToByteEncoder<SkinnyMessage> {
    /** The header version this adapter writes: "Basic". */
    public static final int HEADER_VERSION = 0;

    /** The one instance. */
    public static final SkinnyEncoder INSTANCE = new SkinnyEncoder();

    private SkinnyEncoder() {
        super(SkinnyMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SkinnyMessage msg, ByteBuf out) {
        write(msg, out);
    }

    /** Writes {@code msg} as a frame into {@code out}; also used to build frames outside a channel. */
    public static void write(SkinnyMessage msg, ByteBuf out) {
        int payload = msg.type().payloadBytes();
        out.writeIntLE(4 + payload);
        out.writeIntLE(HEADER_VERSION);
        out.writeIntLE(msg.type().id());
        int start = out.writerIndex();
        msg.writePayload(out);
        int written = out.writerIndex() - start;
        if (written != payload) {
            throw new IllegalStateException(msg.type() + " wrote " + written + " payload bytes, its layout has "
                    + payload);
        }
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, SkinnyMessage msg, boolean preferDirect) {
        int size = 12 + msg.type().payloadBytes();
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }
}
