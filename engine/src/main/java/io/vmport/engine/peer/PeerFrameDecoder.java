package io.vmport.engine.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.ports.PortState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.vmport.engine.peer.PeerWire.*;

/**
 * Cuts the byte stream into frames ({@link LengthFieldBasedFrameDecoder}, maximum {@value PeerWire#MAX_FRAME_BYTES}
 * bytes, failing fast) and decodes each frame into a {@link PeerMessage}. Big-endian throughout.
 *
 * <pre>
 * frame          +-------------+---------+------------------------------+
 *                | length  u32 | type u8 | payload  (length - 1 bytes)  |    length counts type + payload,
 *                +-------------+---------+------------------------------+    1 .. 65536
 *
 * HELLO     0x01 | version u16 | sender u8 | sessionId i64 | epoch i64 | remoteHeartbeatTimeoutMs u32 |
 *
 * HEARTBEAT 0x02 | sequence i64 | sender u8 | status u8 | epoch i64 | primaryHolder u8 | flags u8 |
 *                | callsInProgress u32 | receiverStatus u8 | deltaCount u16 | deltaCount x delta |
 *                flags: 0x01 taking calls, 0x02 the deltas start a full snapshot of the sender's calls,
 *                       0x04 the sender is SPLIT_BRAIN_RECOVERY and its own merge is done (ST-12);
 *                       other bits are ignored (a newer peer's)
 *
 *          delta +----------+----------+-----------+-----------+-------------------------------------------+
 *                | port u32 | state u8 | reason u8 | ageMs u32 | callId t8 | caller t8 | called t8 | redir t8 |
 *                +----------+----------+-----------+-----------+-------------------------------------------+
 *                t8 = length u8 (0 = none) + UTF-8 bytes; deltaCount <= 4096, all deltas <= 61440 bytes
 *                reason u8: 0 DIRECT 1 FORWARDED_BUSY 2 FORWARDED_NO_ANSWER 3 FORWARDED_OTHER, 0xFF none
 *
 * ACTION    0x03 | requestId i64 | target u8 | flags u8 | nameLength u8 | name ASCII |   e.g. "make-primary"
 *                flags: 0x01 force
 *
 * ACTION_RESULT  | requestId i64 | flags u8 | status u8 | callsAffected u32 | reasonLength u16 | reason UTF-8 |
 *           0x04 flags: 0x01 ok
 *
 * BYE       0x05 | code u8 | reasonLength u16 | reason UTF-8 |      code: 0 stopping, 1 duplicate, 2 refused,
 *                                                                          3 silent
 *
 * MAILBOX_CHANGED | extensionLength u8 | extension ASCII |    version 3 on; e.g. "1001", 1 .. 32 printable bytes
 *           0x06
 *
 * server u8: 0 publisher, 1 subscriber; status u8: 0 PRIMARY 1 SECONDARY 2 DEACTIVATED 3 NOT_FUNCTIONING
 * 4 STARTING 5 REPLICATING_DATA 6 SPLIT_BRAIN_RECOVERY; port state u8: 0 IDLE 1 RINGING 2 IN_CALL 3 DRAINING
 * 4 OUT_OF_SERVICE; 0xFF = none (primaryHolder, receiverStatus, ACTION_RESULT status). Texts at most 1024 bytes.
 * </pre>
 *
 * <p>HELLO versions 2 and 3 are accepted: version 2 is version 3 without MAILBOX_CHANGED, which is not sent to
 * a version-2 peer. Anything else is malformed: a length of 0 or past the maximum, an unknown type, a payload shorter or longer
 * than its type needs, a code outside its table, too many deltas, another protocol version. The decoder then
 * throws one {@link CorruptedFrameException} saying what was wrong and discards everything after it (the bad
 * state), so the handler sees exactly one error and closes the connection. One decoder per channel.
 */
final class PeerFrameDecoder extends LengthFieldBasedFrameDecoder {

    private boolean failed;

    PeerFrameDecoder() {
        super(MAX_FRAME_BYTES + LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES, 0, LENGTH_FIELD_BYTES, true);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, in);
        } catch (TooLongFrameException e) {
            throw fail(in, new CorruptedFrameException("frame length past the maximum of " + MAX_FRAME_BYTES
                    + " bytes (" + e.getMessage() + ")"));
        }
        if (frame == null) {
            return null;
        }
        try {
            return read(frame);
        } catch (CorruptedFrameException e) {
            throw fail(in, e);
        } finally {
            frame.release();
        }
    }

    private DecoderException fail(ByteBuf in, DecoderException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return e;
    }

    /** Decodes one frame (type and payload, length already stripped). */
    static PeerMessage read(ByteBuf frame) {
        int length = frame.readableBytes();
        if (length == 0) {
            throw new CorruptedFrameException("empty frame (length 0)");
        }
        byte type = frame.readByte();
        PeerMessage message;
        try {
            message = switch (type) {
                case HELLO -> readHello(frame);
                case HEARTBEAT -> readHeartbeat(frame);
                case ACTION -> readAction(frame);
                case ACTION_RESULT -> readActionResult(frame);
                case BYE -> readBye(frame);
                case MAILBOX_CHANGED -> readMailboxChanged(frame);
                default -> throw new CorruptedFrameException("unknown frame type " + typeName(type) + " (length "
                        + length + ")");
            };
        } catch (IndexOutOfBoundsException e) {
            throw new CorruptedFrameException("truncated " + typeName(type) + " frame: " + (length - 1)
                    + " payload bytes are too few");
        } catch (IllegalArgumentException e) {
            throw new CorruptedFrameException("bad " + typeName(type) + " frame: " + e.getMessage());
        }
        if (frame.isReadable()) {
            throw new CorruptedFrameException(typeName(type) + " frame has " + frame.readableBytes()
                    + " bytes past its end (length " + length + ")");
        }
        return message;
    }

    private static PeerHello readHello(ByteBuf f) {
        int version = f.readUnsignedShort();
        if (version < MIN_PROTOCOL_VERSION || version > PROTOCOL_VERSION) {
            throw new CorruptedFrameException("the peer speaks protocol version " + version + ", this node "
                    + MIN_PROTOCOL_VERSION + " to " + PROTOCOL_VERSION);
        }
        ServerName sender = server(f.readUnsignedByte(), "sender");
        long sessionId = f.readLong();
        long epoch = f.readLong();
        long remoteTimeoutMs = f.readUnsignedInt();
        return new PeerHello(version, sender, sessionId, epoch, remoteTimeoutMs);
    }

    private static PeerHeartbeat readHeartbeat(ByteBuf f) {
        long sequence = f.readLong();
        ServerName sender = server(f.readUnsignedByte(), "sender");
        ServerStatus status = status(f.readUnsignedByte(), "status");
        long epoch = f.readLong();
        int holderCode = f.readUnsignedByte();
        ServerName holder = holderCode == NONE ? null : server(holderCode, "primaryHolder");
        int flags = f.readUnsignedByte();
        long calls = f.readUnsignedInt();
        if (calls > Integer.MAX_VALUE) {
            throw new CorruptedFrameException("HEARTBEAT callsInProgress " + calls + " is past " + Integer.MAX_VALUE);
        }
        int receiverCode = f.readUnsignedByte();
        ServerStatus receiver = receiverCode == NONE ? null : status(receiverCode, "receiverStatus");
        int count = f.readUnsignedShort();
        if (count > MAX_DELTAS) {
            throw new CorruptedFrameException("HEARTBEAT carries " + count + " port deltas, at most " + MAX_DELTAS);
        }
        if (f.readableBytes() < count * DELTA_FIXED_BYTES) {
            throw new CorruptedFrameException("truncated HEARTBEAT frame: " + count + " deltas need at least "
                    + count * DELTA_FIXED_BYTES + " bytes, " + f.readableBytes() + " left");
        }
        List<PortDelta> deltas = new ArrayList<>(count);
        int deltaBytes = f.readableBytes();
        for (int i = 0; i < count; i++) {
            long port = f.readUnsignedInt();
            if (port > Integer.MAX_VALUE) {
                throw new CorruptedFrameException("HEARTBEAT delta " + i + ": port " + port + " is past "
                        + Integer.MAX_VALUE);
            }
            int stateCode = f.readUnsignedByte();
            if (stateCode >= PORT_STATES.length) {
                throw new CorruptedFrameException("HEARTBEAT delta " + i + ": unknown port state code " + stateCode);
            }
            int reasonCode = f.readUnsignedByte();
            if (reasonCode != NONE && reasonCode >= REASONS.length) {
                throw new CorruptedFrameException("HEARTBEAT delta " + i + ": unknown reason code " + reasonCode);
            }
            long ageMs = f.readUnsignedInt();
            String callId = text8(f);
            String caller = text8(f);
            String called = text8(f);
            String redirecting = text8(f);
            deltas.add(new PortDelta((int) port, PORT_STATES[stateCode], callId, caller, called, redirecting,
                    reasonCode == NONE ? null : REASONS[reasonCode], ageMs));
        }
        if (deltaBytes - f.readableBytes() > MAX_DELTA_BYTES) {
            throw new CorruptedFrameException("HEARTBEAT deltas take " + (deltaBytes - f.readableBytes())
                    + " bytes, at most " + MAX_DELTA_BYTES);
        }
        HeartbeatContent content = new HeartbeatContent(status, epoch, holder, (flags & FLAG_TAKING_CALLS) != 0,
                (int) calls, receiver, (flags & FLAG_PORT_SNAPSHOT) != 0, (flags & FLAG_MERGE_DONE) != 0, deltas);
        return new PeerHeartbeat(sequence, sender, content);
    }

    private static PeerAction readAction(ByteBuf f) {
        long requestId = f.readLong();
        ServerName target = server(f.readUnsignedByte(), "target");
        int flags = f.readUnsignedByte();
        int nameLength = f.readUnsignedByte();
        if (nameLength > MAX_ACTION_NAME_BYTES) {
            throw new CorruptedFrameException("ACTION name of " + nameLength + " bytes, at most "
                    + MAX_ACTION_NAME_BYTES);
        }
        String name = f.readCharSequence(nameLength, StandardCharsets.US_ASCII).toString();
        AdminAction action = AdminAction.fromPathName(name);
        if (action == null) {
            throw new CorruptedFrameException("unknown ACTION '" + printable(name) + "'");
        }
        return new PeerAction(requestId, action, target, (flags & FLAG_FORCE) != 0);
    }

    private static PeerActionResult readActionResult(ByteBuf f) {
        long requestId = f.readLong();
        int flags = f.readUnsignedByte();
        int statusCode = f.readUnsignedByte();
        ServerStatus status = statusCode == NONE ? null : status(statusCode, "status");
        long affected = f.readUnsignedInt();
        if (affected > Integer.MAX_VALUE) {
            throw new CorruptedFrameException("ACTION_RESULT callsAffected " + affected + " is past "
                    + Integer.MAX_VALUE);
        }
        return new PeerActionResult(requestId, (flags & FLAG_OK) != 0, text(f, "ACTION_RESULT"), status,
                (int) affected);
    }

    private static PeerBye readBye(ByteBuf f) {
        int code = f.readUnsignedByte();
        if (code >= PeerBye.CODES.length) {
            throw new CorruptedFrameException("unknown BYE code " + code);
        }
        return new PeerBye(PeerBye.CODES[code], text(f, "BYE"));
    }

    private static PeerMailboxChanged readMailboxChanged(ByteBuf f) {
        int length = f.readUnsignedByte();
        if (length > MAX_EXTENSION_BYTES) {
            throw new CorruptedFrameException("MAILBOX_CHANGED extension of " + length + " bytes, at most "
                    + MAX_EXTENSION_BYTES);
        }
        return new PeerMailboxChanged(f.readCharSequence(length, StandardCharsets.US_ASCII).toString());
    }

    private static String text(ByteBuf f, String type) {
        int length = f.readUnsignedShort();
        if (length > MAX_TEXT_BYTES) {
            throw new CorruptedFrameException(type + " text of " + length + " bytes, at most " + MAX_TEXT_BYTES);
        }
        return f.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    /** A delta text: length u8, UTF-8; 0 is none. */
    private static String text8(ByteBuf f) {
        int length = f.readUnsignedByte();
        return length == 0 ? null : f.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    private static ServerName server(int code, String field) {
        if (code >= SERVERS.length) {
            throw new CorruptedFrameException("unknown server code " + code + " in " + field);
        }
        return SERVERS[code];
    }

    private static ServerStatus status(int code, String field) {
        if (code >= STATUSES.length) {
            throw new CorruptedFrameException("unknown status code " + code + " in " + field);
        }
        return STATUSES[code];
    }

    /** Garbage made safe for one log line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
