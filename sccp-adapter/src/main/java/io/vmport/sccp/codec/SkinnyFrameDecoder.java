package io.vmport.sccp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
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
 * Netty's {@link LengthFieldBasedFrameDecoder} cuts the frames (little endian, a 4-byte length at offset 0, 4 bytes
 * more than the length follow it, the length field stripped); this class adds the smallest length and the bad-frame
 * handling of SPEC BI-2, checking the length before the base class reads it, so the log line can name the frame.
 * <p>
 * Emits each frame without its length field: {@code [header version][message id][payload]}. A length below 4
 * or above {@code maxLength}, or a connection that ends inside a frame, is a bad frame: the connection is
 * closed with one log line (SPEC BI-2) and nothing more is read from it.
 */
public final class SkinnyFrameDecoder extends LengthFieldBasedFrameDecoder {
    /** The smallest length: the message id alone. */
    public static final int MIN_LENGTH = 4;
    /** The length field's own size; the header version, not counted by it, is as long. */
    private static final int LENGTH_FIELD_BYTES = 4;

    private final int maxLength;
    private boolean bad;
    private Object peer;

    /** @param maxLength the largest length field accepted (message id and payload) */
    public SkinnyFrameDecoder(int maxLength) {
        super(ByteOrder.LITTLE_ENDIAN, checked(maxLength) + 2 * LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES,
                LENGTH_FIELD_BYTES, LENGTH_FIELD_BYTES, true);
        this.maxLength = maxLength;
    }

    private static int checked(int maxLength) {
        if (maxLength < MIN_LENGTH || maxLength > Integer.MAX_VALUE - 2 * LENGTH_FIELD_BYTES) {
            throw new IllegalArgumentException("maxLength " + maxLength + "; allowed: " + MIN_LENGTH + ".."
                    + (Integer.MAX_VALUE - 2 * LENGTH_FIELD_BYTES));
        }
        return maxLength;
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
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (!bad && in.readableBytes() >= LENGTH_FIELD_BYTES) {
            long length = in.getUnsignedIntLE(in.readerIndex());
            if (length < MIN_LENGTH || length > maxLength) {
                fail(ctx, in, length, "length " + length + " outside " + MIN_LENGTH + ".." + maxLength);
            }
        }
        if (bad) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        return super.decode(ctx, in);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!bad && in.isReadable()) {
            long length = in.readableBytes() >= LENGTH_FIELD_BYTES ? in.getUnsignedIntLE(in.readerIndex()) : -1;
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
