package io.vmport.engine.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

import java.nio.charset.StandardCharsets;

import static io.vmport.engine.peer.PeerWire.*;

/** Writes {@link PeerMessage}s as the frames drawn in {@link PeerFrameDecoder}. Stateless: one for all channels. */
@Sharable
final class PeerFrameEncoder extends MessageToByteEncoder<PeerMessage> {

    static final PeerFrameEncoder INSTANCE = new PeerFrameEncoder();

    private PeerFrameEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PeerMessage msg, ByteBuf out) {
        write(msg, out);
    }

    /** Appends one whole frame, length field included. */
    static void write(PeerMessage msg, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0); // the length, set below
        if (msg instanceof PeerHeartbeat hb) {
            writeHeartbeat(hb, out);
        } else if (msg instanceof PeerHello h) {
            out.writeByte(HELLO);
            out.writeShort(h.protocolVersion());
            out.writeByte(code(h.sender()));
            out.writeLong(h.sessionId());
            out.writeLong(h.epoch());
            out.writeInt((int) h.remoteHeartbeatTimeoutMs());
        } else if (msg instanceof PeerAction a) {
            out.writeByte(ACTION);
            out.writeLong(a.requestId());
            out.writeByte(code(a.target()));
            out.writeByte(a.force() ? FLAG_FORCE : 0);
            String name = a.action().pathName();
            out.writeByte(name.length());
            out.writeCharSequence(name, StandardCharsets.US_ASCII);
        } else if (msg instanceof PeerActionResult r) {
            out.writeByte(ACTION_RESULT);
            out.writeLong(r.requestId());
            out.writeByte(r.ok() ? FLAG_OK : 0);
            out.writeByte(code(r.status()));
            out.writeInt(r.callsAffected());
            writeText(r.reason(), out);
        } else if (msg instanceof PeerBye b) {
            out.writeByte(BYE);
            out.writeByte(b.code().ordinal());
            writeText(b.reason(), out);
        } else if (msg instanceof PeerMailboxChanged c) {
            out.writeByte(MAILBOX_CHANGED);
            out.writeByte(c.extension().length());
            out.writeCharSequence(c.extension(), StandardCharsets.US_ASCII);
        } else {
            throw new EncoderException("not a peer message: " + msg);
        }
        int length = out.writerIndex() - start - LENGTH_FIELD_BYTES;
        if (length > MAX_FRAME_BYTES) {
            throw new EncoderException("frame of " + length + " bytes is past the maximum of " + MAX_FRAME_BYTES
                    + ": " + msg);
        }
        out.setInt(start, length);
    }

    private static void writeHeartbeat(PeerHeartbeat hb, ByteBuf out) {
        HeartbeatContent c = hb.content();
        out.writeByte(HEARTBEAT);
        out.writeLong(hb.sequence());
        out.writeByte(code(hb.sender()));
        out.writeByte(code(c.status()));
        out.writeLong(c.epoch());
        out.writeByte(code(c.primaryHolder()));
        out.writeByte((c.takingCalls() ? FLAG_TAKING_CALLS : 0) | (c.portSnapshot() ? FLAG_PORT_SNAPSHOT : 0)
                | (c.mergeDone() ? FLAG_MERGE_DONE : 0));
        out.writeInt(c.callsInProgress());
        out.writeByte(code(c.receiverStatus()));
        out.writeShort(c.deltas().size());
        for (PortDelta d : c.deltas()) {
            out.writeInt(d.port());
            out.writeByte(code(d.state()));
            out.writeByte(code(d.reason()));
            out.writeInt((int) d.ageMs());
            writeText8(d.callId(), out);
            writeText8(d.caller(), out);
            writeText8(d.called(), out);
            writeText8(d.redirecting(), out);
        }
    }

    /** A delta text: length u8 (0 for null), UTF-8; {@link PortDelta} has clipped it to 255 bytes. */
    private static void writeText8(String text, ByteBuf out) {
        if (text == null) {
            out.writeByte(0);
            return;
        }
        int lengthAt = out.writerIndex();
        out.writeByte(0);
        int bytes = ByteBufUtil.writeUtf8(out, text);
        if (bytes > MAX_DELTA_TEXT_BYTES) {
            throw new EncoderException("delta text of " + bytes + " bytes is past " + MAX_DELTA_TEXT_BYTES);
        }
        out.setByte(lengthAt, bytes);
    }

    private static void writeText(String text, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int bytes = ByteBufUtil.writeUtf8(out, text);
        if (bytes > MAX_TEXT_BYTES) {
            throw new EncoderException("text of " + bytes + " bytes is past " + MAX_TEXT_BYTES);
        }
        out.setShort(lengthAt, bytes);
    }
}
