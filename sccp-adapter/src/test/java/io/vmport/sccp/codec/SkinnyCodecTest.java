package io.vmport.sccp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vmport.sccp.codec.Skinny.CallInfo;
import io.vmport.sccp.codec.Skinny.CallState;
import io.vmport.sccp.codec.Skinny.CloseReceiveChannel;
import io.vmport.sccp.codec.Skinny.KeepAlive;
import io.vmport.sccp.codec.Skinny.KeepAliveAck;
import io.vmport.sccp.codec.Skinny.OffHook;
import io.vmport.sccp.codec.Skinny.OnHook;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannel;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannelAck;
import io.vmport.sccp.codec.Skinny.Register;
import io.vmport.sccp.codec.Skinny.RegisterAck;
import io.vmport.sccp.codec.Skinny.RegisterReject;
import io.vmport.sccp.codec.Skinny.SetRinger;
import io.vmport.sccp.codec.Skinny.StartMediaTransmission;
import io.vmport.sccp.codec.Skinny.StartTone;
import io.vmport.sccp.codec.Skinny.StopMediaTransmission;
import io.vmport.sccp.codec.Skinny.Unregister;
import io.vmport.sccp.codec.Skinny.UnregisterAck;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The Skinny codec on an {@link EmbeddedChannel}: round trips, split and joined frames, bad frames (SPEC BI-2). */
class SkinnyCodecTest {
    static final int MAX = SkinnyCodec.DEFAULT_MAX_LENGTH;

    /** One of each message, with every field this adapter keeps set to a value that is not zero. */
    static List<SkinnyMessage> oneOfEach() {
        return List.of(
                new Register("VMP-SUB-0001", 1, 0x7f000001, Skinny.DEVICE_TYPE_VOICE_MAIL_PORT, 1),
                new RegisterAck(30, "D/M/Y", 60, 0),
                new RegisterReject("unknown device VMP-X"),
                new KeepAlive(),
                new KeepAliveAck(),
                new Unregister(2),
                new UnregisterAck(0),
                new CallState(Skinny.CALL_STATE_RING_IN, 1, 0x01020304),
                new CallInfo("Alice", "5551234", "8000", 1, 0x01020304, Skinny.CALL_TYPE_INBOUND, "2001", "2002"),
                new SetRinger(Skinny.RING_OUTSIDE, 1, 77),
                new StartTone(0x21, 1, 77),
                new OffHook(1, 77),
                new OnHook(1, 77),
                new OpenReceiveChannel(77, 1077, 20, 4, 77),
                new OpenReceiveChannelAck(0, 0x7f000001, 20000, 1077, 77),
                new StartMediaTransmission(77, 1077, 0x7f000002, 16384, 20, 4, 77),
                new StopMediaTransmission(77, 1077, 77),
                new CloseReceiveChannel(77, 1077, 77));
    }

    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void captureLog() {
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(BadFrames.class)).addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(BadFrames.class)).detachAppender(log);
    }

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SkinnyCodec.install(ch.pipeline(), MAX);
        return ch;
    }

    private static ByteBuf frames(List<? extends SkinnyMessage> messages) {
        ByteBuf buf = Unpooled.buffer();
        for (SkinnyMessage m : messages) {
            SkinnyEncoder.write(m, buf);
        }
        return buf;
    }

    private static ByteBuf rawFrame(long length, int id, int payloadBytes) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeIntLE((int) length).writeIntLE(0).writeIntLE(id).writeZero(payloadBytes);
        return buf;
    }

    private static List<Object> inbound(EmbeddedChannel ch) {
        List<Object> got = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            got.add(o);
        }
        return got;
    }

    @Test
    void everyMessageTypeIsCovered() {
        Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
        oneOfEach().forEach(m -> seen.add(m.type()));
        assertEquals(EnumSet.allOf(MessageType.class), seen);
    }

    @Test
    void encodedFrameHasLittleEndianLengthFromHeaderVersionOn() {
        EmbeddedChannel ch = channel();
        ch.writeOutbound(new CallState(Skinny.CALL_STATE_RING_IN, 1, 9));
        ByteBuf out = ch.readOutbound();
        assertEquals(4 + 8 + 24, out.readableBytes());
        assertEquals(4 + 24, out.readIntLE(), "length counts message id and payload, as Wireshark reads it");
        assertEquals(0, out.readIntLE(), "header version");
        assertEquals(0x0111, out.readIntLE(), "CallState message id");
        assertEquals(Skinny.CALL_STATE_RING_IN, out.readIntLE());
        out.release();
    }

    @Test
    void everyMessageRoundTrips() {
        for (SkinnyMessage m : oneOfEach()) {
            EmbeddedChannel ch = channel();
            assertTrue(ch.writeOutbound(m));
            ByteBuf wire = ch.readOutbound();
            assertEquals(12 + m.type().payloadBytes(), wire.readableBytes(), m.type().toString());
            ch.writeInbound(wire);
            assertEquals(List.of(m), inbound(ch), m.type().toString());
            assertTrue(ch.isOpen());
        }
    }

    @Test
    void splitFramesByteByByteDecode() {
        EmbeddedChannel ch = channel();
        ByteBuf all = frames(oneOfEach());
        List<Object> got = new ArrayList<>();
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
            got.addAll(inbound(ch));
        }
        all.release();
        assertEquals(oneOfEach(), got);
        assertTrue(ch.isOpen());
    }

    @Test
    void joinedFramesInOneBufferDecode() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(frames(oneOfEach()));
        assertEquals(oneOfEach(), inbound(ch));
        assertTrue(ch.isOpen());
    }

    @Test
    void olderShortLayoutsAreAccepted() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(rawFrame(4, 0x0006, 0)); // OffHook without line and call reference
        assertEquals(List.of(new OffHook(0, 0)), inbound(ch));
        assertTrue(ch.isOpen());
    }

    @Test
    void bi2OversizeLengthClosesTheConnectionWithALogLine() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(frames(List.of(new KeepAlive())));
        ch.writeInbound(rawFrame(MAX + 1, 0x0111, 16));
        assertEquals(List.of(new KeepAlive()), inbound(ch), "the good frame before the bad one still arrives");
        assertFalse(ch.isOpen());
        assertOneLogLine("0x0111", "length " + (MAX + 1), "outside 4.." + MAX);
    }

    @Test
    void bi2LengthBelowHeaderClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(rawFrame(3, 0, 0));
        assertFalse(ch.isOpen());
        assertOneLogLine("length 3", "outside 4..");
    }

    @Test
    void bi2UnknownMessageIdClosesTheConnectionAndDropsWhatFollows() {
        EmbeddedChannel ch = channel();
        ByteBuf buf = rawFrame(4, 0x4242, 0);
        buf.writeBytes(frames(List.of(new KeepAlive())));
        ch.writeInbound(buf);
        assertNull(ch.readInbound(), "nothing after the bad frame is delivered");
        assertFalse(ch.isOpen());
        assertOneLogLine("0x4242", "length 4", "unknown message id");
    }

    @Test
    void bi2TruncatedPayloadClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(rawFrame(4 + 10, 0x0111, 10)); // CallState needs at least 12 payload bytes
        assertNull(ch.readInbound());
        assertFalse(ch.isOpen());
        assertOneLogLine("0x0111", "length 14", "CALL_STATE truncated");
    }

    @Test
    void md1MediaMessagesRoundTripWithBothG711Payloads() {
        List<SkinnyMessage> media = List.of(
                new OpenReceiveChannel(9, 1009, 20, Skinny.PAYLOAD_G711_ALAW_64K, 9, 101),
                new OpenReceiveChannelAck(Skinny.MEDIA_STATUS_ERROR, 0xc0a80a01, 0, 1009, 9),
                new StartMediaTransmission(9, 1009, 0xc0a80a02, 65535, 30, Skinny.PAYLOAD_G711_ULAW_64K, 9, 102));
        EmbeddedChannel ch = channel();
        ch.writeInbound(frames(media));
        assertEquals(media, inbound(ch));
        ByteBuf ack = frames(List.of(media.get(1)));
        assertEquals(0xc0a80a01, ack.getInt(12 + 4), "the address is written most significant byte first");
        assertEquals("192.168.10.1", Skinny.inetAddress(0xc0a80a01).getHostAddress());
        assertEquals(0xc0a80a01, Skinny.ipV4(Skinny.inetAddress(0xc0a80a01)));
        ack.release();

        ByteBuf old = Unpooled.buffer(); // an old version's OpenReceiveChannel ends at the call reference
        old.writeIntLE(4 + 28).writeIntLE(0).writeIntLE(0x0105).writeIntLE(9).writeIntLE(1009).writeIntLE(20)
                .writeIntLE(Skinny.PAYLOAD_G711_ALAW_64K).writeZero(8).writeIntLE(9);
        ch.writeInbound(old);
        assertEquals(List.of(new OpenReceiveChannel(9, 1009, 20, Skinny.PAYLOAD_G711_ALAW_64K, 9, 0)), inbound(ch));
    }

    @Test
    void bi2MediaMessageWithAPortOutOfRangeClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ByteBuf buf = Unpooled.buffer();
        buf.writeIntLE(4 + 20).writeIntLE(0).writeIntLE(0x0022) // OpenReceiveChannelAck
                .writeIntLE(0).writeInt(0x7f000001).writeIntLE(70000).writeIntLE(1).writeIntLE(2);
        ch.writeInbound(buf);
        assertNull(ch.readInbound());
        assertFalse(ch.isOpen());
        assertOneLogLine("0x0022", "OPEN_RECEIVE_CHANNEL_ACK has a bad field", "port 70000; allowed: 0..65535");
    }

    @Test
    void bi2ConnectionEndingInsideAFrameIsLogged() {
        EmbeddedChannel ch = channel();
        ByteBuf buf = rawFrame(4 + 24, 0x0111, 24);
        ch.writeInbound(buf.readRetainedSlice(20));
        buf.release();
        assertNull(ch.readInbound());
        ch.close();
        assertOneLogLine("0x0111", "length 28", "connection ended inside a frame");
    }

    @Test
    void badFieldValuesAreRefusedWhenBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Register("VMPORT-subscriber-0001", 0, 0, 0, 1));
        assertTrue(e.getMessage().contains("deviceName 'VMPORT-subscriber-0001' has 22 characters; allowed: at most 15"),
                e.getMessage());
    }

    private void assertOneLogLine(String... parts) {
        assertEquals(1, log.list.size(), () -> "log lines: " + log.list);
        String line = log.list.get(0).getFormattedMessage();
        assertTrue(line.contains("embedded"), "names the peer: " + line);
        for (String part : parts) {
            assertTrue(line.contains(part), "'" + part + "' in: " + line);
        }
    }
}
