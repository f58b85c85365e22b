package io.vmport.engine.media;

import io.netty.buffer.ByteBuf;

/**
 * The RTP fixed header (RFC 3550 section 5.1), decoded into this reusable holder without allocating:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |       CC x contributing source (CSRC) identifier, 32 bit      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | if X: profile-defined (16)    |  length in 32-bit words (16)  |
 * |                   length x 32-bit extension words             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  payload ...                  | if P: padding, last octet = its count |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class RtpPacket {
    static final int HEADER_BYTES = 12;

    boolean marker;
    int payloadType;
    /** 0..65535. */
    int sequence;
    /** The 32-bit timestamp as an int (compare with wrap-around subtraction). */
    int timestamp;
    int ssrc;
    /** Absolute index of the payload in the decoded buffer. */
    int payloadIndex;
    int payloadLength;

    /**
     * Decodes the packet between {@code buf}'s reader and writer index, leaving the indexes alone.
     *
     * @return false for garbage: shorter than its header, not version 2, or padding/extension past its end
     */
    boolean decode(ByteBuf buf) {
        int at = buf.readerIndex();
        int length = buf.readableBytes();
        if (length < HEADER_BYTES) {
            return false;
        }
        int b0 = buf.getUnsignedByte(at);
        if (b0 >> 6 != 2) {
            return false;
        }
        int b1 = buf.getUnsignedByte(at + 1);
        marker = (b1 & 0x80) != 0;
        payloadType = b1 & 0x7F;
        sequence = buf.getUnsignedShort(at + 2);
        timestamp = buf.getInt(at + 4);
        ssrc = buf.getInt(at + 8);
        int headerBytes = HEADER_BYTES + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (length < headerBytes + 4) {
                return false;
            }
            headerBytes += 4 + 4 * buf.getUnsignedShort(at + headerBytes + 2);
        }
        int padding = (b0 & 0x20) != 0 ? buf.getUnsignedByte(at + length - 1) : 0;
        payloadLength = length - headerBytes - padding;
        if (payloadLength < 0) {
            return false;
        }
        payloadIndex = at + headerBytes;
        return true;
    }

    /** Writes a version 2 header without padding, extension or CSRC at {@code out}'s writer index. */
    static void writeHeader(ByteBuf out, boolean marker, int payloadType, int sequence, int timestamp, int ssrc) {
        out.writeByte(0x80);
        out.writeByte((marker ? 0x80 : 0) | (payloadType & 0x7F));
        out.writeShort(sequence);
        out.writeInt(timestamp);
        out.writeInt(ssrc);
    }
}
