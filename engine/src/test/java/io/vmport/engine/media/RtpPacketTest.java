package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** MD-2: the RTP fixed header as written and as read; garbage is refused, not misread. */
class RtpPacketTest {
    private final RtpPacket rx = new RtpPacket();

    @Test
    void writtenHeaderDecodesBack() {
        ByteBuf buf = Unpooled.buffer();
        RtpPacket.writeHeader(buf, true, 8, 65535, -5, 0x12345678);
        buf.writeBytes(new byte[160]);
        assertTrue(rx.decode(buf));
        assertTrue(rx.marker);
        assertEquals(8, rx.payloadType);
        assertEquals(65535, rx.sequence);
        assertEquals(-5, rx.timestamp);
        assertEquals(0x12345678, rx.ssrc);
        assertEquals(12, rx.payloadIndex);
        assertEquals(160, rx.payloadLength);
        assertEquals(0x80, buf.getUnsignedByte(0), "V=2, no P, X, CC");
    }

    @Test
    void csrcExtensionAndPaddingAreSkipped() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(0x80 | 0x20 | 0x10 | 2); // V=2, P, X, CC=2
        buf.writeByte(0);
        buf.writeShort(7).writeInt(160).writeInt(1);
        buf.writeInt(11).writeInt(12); // CSRC
        buf.writeShort(0xBEDE).writeShort(1).writeInt(0); // extension of one word
        buf.writeBytes(new byte[]{1, 2, 3});
        buf.writeBytes(new byte[]{0, 0, 3}); // 3 padding octets
        assertTrue(rx.decode(buf));
        assertEquals(12 + 8 + 8, rx.payloadIndex);
        assertEquals(3, rx.payloadLength);
    }

    @Test
    void garbageIsRefused() {
        assertFalse(rx.decode(Unpooled.wrappedBuffer(new byte[]{(byte) 0x80, 0, 1})), "shorter than a header");
        byte[] v1 = new byte[20];
        v1[0] = 0x40;
        assertFalse(rx.decode(Unpooled.wrappedBuffer(v1)), "version 1");
        byte[] padded = new byte[13];
        padded[0] = (byte) 0xA0;
        padded[12] = 50;
        assertFalse(rx.decode(Unpooled.wrappedBuffer(padded)), "padding longer than the packet");
        byte[] extension = new byte[13];
        extension[0] = (byte) 0x90;
        assertFalse(rx.decode(Unpooled.wrappedBuffer(extension)), "extension header cut short");
    }
}
