package io.vmport.sccp.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vmport.config.testing.Poll;
import io.vmport.sccp.codec.MessageType;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.sim.CallOutcome;
import io.vmport.sccp.sim.PhoneSystemSimulator;
import io.vmport.sccp.sim.SimSettings;
import io.vmport.sccp.testing.PcapWriter;
import io.vmport.sccp.testing.Tshark;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real session recorded byte for byte: one station session against the phone-system simulator over loopback
 * registers, keeps alive, is rung, answers, gets media, is hung up on and unregisters (SPEC CA-3). The bytes as
 * they crossed the socket, in the chunks the socket delivered, are written as a pcap to TCP port 2000; tshark's
 * Skinny dissector finds in each segment exactly the message ids our decoder finds, none malformed or flagged.
 */
class StationTsharkTest {
    record Chunk(boolean fromStation, byte[] bytes) {
    }

    /** Copies every byte that crosses the socket, in order. Sits before the codec, on the session's loop. */
    static final class Recorder extends ChannelDuplexHandler {
        final List<Chunk> chunks = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            synchronized (chunks) {
                chunks.add(new Chunk(false, ByteBufUtil.getBytes((ByteBuf) msg)));
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            synchronized (chunks) {
                chunks.add(new Chunk(true, ByteBufUtil.getBytes((ByteBuf) msg)));
            }
            super.write(ctx, msg, promise);
        }

        List<Chunk> snapshot() {
            synchronized (chunks) {
                return List.copyOf(chunks);
            }
        }
    }

    /** The message ids of the whole frames in {@code bytes}: {@code [length][version][id]...}. */
    static List<Integer> ids(byte[] bytes) {
        List<Integer> ids = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 12) {
            int length = b.getInt(b.position());
            ids.add(b.getInt(b.position() + 8));
            b.position(b.position() + 8 + length);
        }
        return ids;
    }

    static Set<MessageType> types(List<Chunk> chunks) {
        Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
        chunks.forEach(c -> ids(c.bytes()).forEach(id -> seen.add(MessageType.ofId(id))));
        return seen;
    }

    @Test
    void ca3RecordedSessionIsSkinnyToTshark() throws Exception {
        String tshark = Tshark.require();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        PhoneSystemSimulator sim = new PhoneSystemSimulator(new SimSettings(1, 2_000, 200,
                SkinnyCodec.DEFAULT_MAX_LENGTH),
                PhoneSystemSimulator.subscriberFirst(List.of("VMP-SUB-0001"), List.of("VMP-PUB-0001")));
        Recorder recorder = new Recorder();
        try {
            InetSocketAddress at = sim.start(new InetSocketAddress("127.0.0.1", 0));
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class);
            StationConnector connector = (ChannelHandler handler) -> bootstrap.clone()
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(recorder);
                            SkinnyCodec.install(ch.pipeline(), SkinnyCodec.DEFAULT_MAX_LENGTH);
                            ch.pipeline().addLast(handler);
                        }
                    }).connect(at);
            StationListener answering = StationListener.answeringEveryCall();
            StationSession session = new StationSession("VMP-SUB-0001", LoopbackSettings.SETTINGS, connector,
                    group.next(), answering);
            session.start();
            Poll.await("registered", 5_000, () -> session.state() == StationState.REGISTERED, session::toString);
            Poll.await("a keep-alive acknowledged", 5_000,
                    () -> types(recorder.snapshot()).contains(MessageType.KEEP_ALIVE_ACK), session::toString);
            CallOutcome outcome = sim.offerCall("5551234", "8000").get(5, TimeUnit.SECONDS);
            assertTrue(outcome.answered(), outcome.toString());
            Poll.await("media started", 5_000,
                    () -> types(recorder.snapshot()).contains(MessageType.START_MEDIA_TRANSMISSION),
                    session::toString);
            Poll.await("caller hung up", 5_000, () -> sim.counts().ended() == 1
                    && session.state() == StationState.REGISTERED, session::toString);
            session.unregister();
            Poll.await("unregistered", 5_000, () -> session.state() == StationState.UNREGISTERED,
                    session::toString);
        } finally {
            sim.close();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }

        List<Chunk> chunks = recorder.snapshot();
        assertEquals(EnumSet.of(MessageType.REGISTER, MessageType.REGISTER_ACK, MessageType.KEEP_ALIVE,
                MessageType.KEEP_ALIVE_ACK, MessageType.SET_RINGER, MessageType.CALL_STATE, MessageType.CALL_INFO,
                MessageType.OFF_HOOK, MessageType.OPEN_RECEIVE_CHANNEL, MessageType.OPEN_RECEIVE_CHANNEL_ACK,
                MessageType.START_MEDIA_TRANSMISSION, MessageType.STOP_MEDIA_TRANSMISSION,
                MessageType.CLOSE_RECEIVE_CHANNEL, MessageType.UNREGISTER, MessageType.UNREGISTER_ACK),
                types(chunks), "the session used every message it needs");

        PcapWriter pcap = new PcapWriter(40002, 2000);
        List<String> expected = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.fromStation()) {
                pcap.fromStation(c.bytes());
            } else {
                pcap.fromPhoneSystem(c.bytes());
            }
            expected.add(String.join(",", ids(c.bytes()).stream().map(String::valueOf).toList()));
        }
        Path dir = Files.createDirectories(Paths.get("target", "tshark"));
        Path file = dir.resolve("station-session.pcap");
        pcap.writeTo(file);
        List<String> fields = Tshark.skinnyFields(tshark, file, 2000);
        Files.write(dir.resolve("station-session.fields.txt"), fields);
        assertEquals(expected.size(), fields.size(), () -> "one line per data segment: " + fields);
        for (int i = 0; i < fields.size(); i++) {
            String[] f = fields.get(i).split("\t", -1);
            assertTrue(f[1].endsWith(":tcp:skinny"), "frame " + f[0] + " is Skinny: " + fields.get(i));
            assertEquals(expected.get(i), f[2], "message ids of frame " + f[0] + ": " + fields.get(i));
            assertEquals("", f[3], "not malformed: " + fields.get(i));
            assertEquals("", f[4], "no expert info: " + fields.get(i));
        }
        assertEquals(List.of(), Tshark.badFrames(tshark, file, 2000), "no malformed, flagged or unknown frame");
    }
}
