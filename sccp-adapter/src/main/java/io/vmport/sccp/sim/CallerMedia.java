package io.vmport.sccp.sim;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The caller's side of one simulated call's media (SPEC MD-1): a UDP port the simulator names in
 * StartMediaTransmission, which counts the RTP the port device sends and, once the device's first RTP packet
 * arrived (so nothing is sent to a port where no device listens), sends one G.711 mu-law frame per
 * {@link #tick()} (20 ms) to where the device said it receives (OpenReceiveChannelAck): the caller's audio, over
 * and over, else silence:
 * <pre>
 * 0      1      2         4           8      12                   172
 * +------+------+---------+-----------+------+--------------------+
 * | 0x80 | PT 0 | seq BE  | ts BE     | SSRC | 160 mu-law samples |
 * +------+------+---------+-----------+------+--------------------+
 * </pre>
 * Runs on the simulator's one event loop; not thread-safe.
 */
final class CallerMedia {
    static final int HEADER_BYTES = 12;
    static final int FRAME_SAMPLES = 160;
    private static final int RTP_VERSION_2 = 0x80;
    private static final int PT_PCMU = 0;
    private static final byte MU_LAW_SILENCE = (byte) 0xff;

    private final InetSocketAddress device;
    private final int ssrc;
    /** The caller's mu-law audio, or null for silence. */
    private final byte[] audio;
    private final ChannelFuture bound;
    private int audioAt;
    private int sequence;
    private int timestamp;
    private long received;
    private long sent;

    /**
     * Binds a free UDP port on {@code host}; {@code device} is where the port device receives; {@code audio} is
     * what the caller says (mu-law, repeated), or null for silence.
     */
    CallerMedia(EventLoopGroup group, InetAddress host, InetSocketAddress device, int ssrc, byte[] audio) {
        this.device = device;
        this.ssrc = ssrc;
        this.audio = audio;
        this.bound = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        ByteBuf b = p.content();
                        if (b.readableBytes() >= HEADER_BYTES && (b.getUnsignedByte(b.readerIndex()) & 0xc0) == 0x80) {
                            received++;
                        }
                    }
                }).bind(new InetSocketAddress(host, 0));
    }

    /** Completes when the port is bound (or failed to bind). */
    ChannelFuture bound() {
        return bound;
    }

    /** The bound port; valid once {@link #bound()} succeeded. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) bound.channel().localAddress();
    }

    /** Sends one 20 ms silence frame to the device, once the device sends. */
    void tick() {
        Channel ch = bound.channel();
        if (received == 0 || !ch.isActive()) {
            return;
        }
        ByteBuf b = ch.alloc().buffer(HEADER_BYTES + FRAME_SAMPLES);
        b.writeByte(RTP_VERSION_2).writeByte(sent == 0 ? 0x80 | PT_PCMU : PT_PCMU)
                .writeShort(sequence++).writeInt(timestamp).writeInt(ssrc);
        timestamp += FRAME_SAMPLES;
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            if (audio == null) {
                b.writeByte(MU_LAW_SILENCE);
            } else {
                b.writeByte(audio[audioAt]);
                audioAt = (audioAt + 1) % audio.length;
            }
        }
        ch.writeAndFlush(new DatagramPacket(b, device));
        sent++;
    }

    long received() {
        return received;
    }

    long sent() {
        return sent;
    }

    void close() {
        bound.channel().close();
    }
}
