package io.vmport.sccp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the TCP byte stream into Skinny frames.
 * <pre>
 *  0                4                  8                12
 * +----------------+------------------+----------------+-------------------+
 * | length u32 LE  | header version   | message id     | payload           |
 * |                | u32 LE           | u32 LE         | length - 4 bytes  |
 * +----------------+------------------+----------------+-------------------+
 *                                     |&lt;------------- length -------------&gt;|
 * </pre>
 * The length counts the message id and the payload, not the header version: a KeepAlive is 12 bytes on the wire
 * with length 4. That is how Wireshark's Skinny dissector cuts the stream (its PDU is length + 8 bytes) and how
 * phones and Cisco's call managers send it; the tshark test proves it. (SPEC/DESIGN say "from the header version
 * on", which is 4 bytes off: frames built that way are malformed to Wireshark.)
 * <p>
 * Emits each frame without its length field: {@code [header version][message id][payload]}. A length below 4
 * or above {@code maxLength}, or a connection that ends inside a frame, is a bad frame: the connection is
 * closed with one log line (SPEC BI-2) and nothing more is read from it.
 */
public final class SkinnyFrameDecoder extends ByteToMessageDecoder {
    /** The smallest length: the message id alone. */
    public static final int MIN_LENGTH = 4;

    private final int maxLength;
    private boolean bad;
    private Object peer;

    /** @param maxLength the largest length field accepted (message id and payload) */
    public SkinnyFrameDecoder(int maxLength) {
        if (maxLength < MIN_LENGTH) {
            throw new IllegalArgumentException("maxLength " + maxLength + "; allowed: >= " + MIN_LENGTH);
        }
        this.maxLength = maxLength;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        peer = ctx.channel().remoteAddress();
        super.handlerAdded(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        peer = ctx.channel().remoteAddress();
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!bad && in.readableBytes() >= 4) {
            long length = in.getUnsignedIntLE(in.readerIndex());
            if (length < MIN_LENGTH || length > maxLength) {
                fail(ctx, in, length, "length " + length + " outside " + MIN_LENGTH + ".." + maxLength);
                return;
            }
            if (in.readableBytes() < 8 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(4 + (int) length));
        }
        if (bad) {
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (!bad && in.isReadable()) {
            long length = in.readableBytes() >= 4 ? in.getUnsignedIntLE(in.readerIndex()) : -1;
            fail(ctx, in, length, "connection ended inside a frame: " + in.readableBytes() + " bytes of it");
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, long length, String why) {
        bad = true;
        String id = in.readableBytes() >= 12 ? BadFrames.hex(in.getUnsignedIntLE(in.readerIndex() + 8)) : "?";
        in.skipBytes(in.readableBytes());
        // After the peer closed, the channel no longer knows its address: use the one seen when it was active.
        Object remote = ctx.channel().remoteAddress();
        BadFrames.close(ctx, remote != null ? remote : peer, id, length, why);
    }
}
