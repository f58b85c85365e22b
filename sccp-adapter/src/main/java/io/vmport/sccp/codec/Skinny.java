package io.vmport.sccp.codec;

import io.netty.buffer.ByteBuf;

/**
 * The Skinny messages, one record each, with their payload layouts at header version 0 as the Wireshark Skinny
 * dissector decodes them. Integers are u32 little-endian unless drawn otherwise; strings are fixed-width ASCII,
 * NUL padded. Fields this adapter does not use are written as zeros and skipped when read.
 */
public final class Skinny {
    private Skinny() {
    }

    /** Call states of {@link CallState} (Skinny's {@code DCallState}). */
    public static final int CALL_STATE_OFF_HOOK = 1;
    public static final int CALL_STATE_ON_HOOK = 2;
    public static final int CALL_STATE_RING_OUT = 3;
    public static final int CALL_STATE_RING_IN = 4;
    public static final int CALL_STATE_CONNECTED = 5;
    public static final int CALL_STATE_BUSY = 6;

    /** Ring modes of {@link SetRinger}. */
    public static final int RING_OFF = 1;
    public static final int RING_INSIDE = 2;
    public static final int RING_OUTSIDE = 3;

    /** {@link CallInfo} call type: inbound. */
    public static final int CALL_TYPE_INBOUND = 1;

    /** Station device type sent in {@link Register}: a Cisco voice-mail port (Skinny {@code DeviceType} 30006). */
    public static final int DEVICE_TYPE_VOICE_MAIL_PORT = 30006;

    /** No payload. */
    public record KeepAlive() implements SkinnyMessage {
        public MessageType type() {
            return MessageType.KEEP_ALIVE;
        }

        public void writePayload(ByteBuf out) {
        }
    }

    /** No payload. */
    public record KeepAliveAck() implements SkinnyMessage {
        public MessageType type() {
            return MessageType.KEEP_ALIVE_ACK;
        }

        public void writePayload(ByteBuf out) {
        }
    }

    /**
     * A station registers.
     * <pre>
     * 0      16        20         24            28           32           36
     * +------+---------+----------+-------------+------------+------------+
     * | name | reserved| instance | stationIp BE| deviceType | maxStreams |
     * +------+---------+----------+-------------+------------+------------+
     * </pre>
     */
    public record Register(String deviceName, int instance, int stationIpV4, int deviceType, int maxStreams)
            implements SkinnyMessage {
        public Register {
            Fixed.check("deviceName", deviceName, 16);
        }

        public MessageType type() {
            return MessageType.REGISTER;
        }

        public void writePayload(ByteBuf out) {
            Fixed.writeString(out, deviceName, 16);
            out.writeIntLE(0);
            out.writeIntLE(instance);
            out.writeInt(stationIpV4);
            out.writeIntLE(deviceType);
            out.writeIntLE(maxStreams);
        }

        static Register read(ByteBuf in) {
            String name = Fixed.readString(in, 16);
            in.skipBytes(4);
            return new Register(name, in.readIntLE(), in.readInt(), in.readIntLE(), in.readIntLE());
        }
    }

    /**
     * The phone system accepts a registration.
     * <pre>
     * 0                  4              10        12                    16         17        18       20
     * +------------------+--------------+---------+---------------------+----------+---------+--------+
     * | keepAliveInterval| dateTemplate | padding | secondaryKeepAlive  | maxProto | unknown | feats  |
     * |       (s)        |   6 ASCII    |    2    |        (s)          |    u8    |   u8    |  u16   |
     * +------------------+--------------+---------+---------------------+----------+---------+--------+
     * </pre>
     */
    public record RegisterAck(int keepAliveIntervalS, String dateTemplate, int secondaryKeepAliveIntervalS,
            int maxProtocolVersion) implements SkinnyMessage {
        public RegisterAck {
            Fixed.check("dateTemplate", dateTemplate, 7);
            if (keepAliveIntervalS <= 0) {
                throw new IllegalArgumentException("keepAliveIntervalS " + keepAliveIntervalS + "; allowed: > 0");
            }
        }

        public MessageType type() {
            return MessageType.REGISTER_ACK;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(keepAliveIntervalS);
            Fixed.writeString(out, dateTemplate, 6);
            out.writeZero(2);
            out.writeIntLE(secondaryKeepAliveIntervalS);
            out.writeByte(maxProtocolVersion);
            out.writeByte(0);
            out.writeShortLE(0);
        }

        static RegisterAck read(ByteBuf in) {
            int keepAlive = in.readIntLE();
            String template = Fixed.readString(in, 6);
            in.skipBytes(2);
            int secondary = in.readIntLE();
            int maxProto = in.isReadable() ? in.readUnsignedByte() : 0;
            return new RegisterAck(keepAlive, template, secondary, maxProto);
        }
    }

    /** The phone system refuses a registration: {@code text} (32 ASCII) says why. */
    public record RegisterReject(String text) implements SkinnyMessage {
        public RegisterReject {
            Fixed.check("text", text, 32);
        }

        public MessageType type() {
            return MessageType.REGISTER_REJECT;
        }

        public void writePayload(ByteBuf out) {
            Fixed.writeString(out, text, 32);
        }

        static RegisterReject read(ByteBuf in) {
            return new RegisterReject(Fixed.readString(in, 32));
        }
    }

    /** The station leaves: {@code [unRegReasonCode]}. */
    public record Unregister(int reasonCode) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.UNREGISTER;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(reasonCode);
        }

        static Unregister read(ByteBuf in) {
            return new Unregister(in.readableBytes() >= 4 ? in.readIntLE() : 0);
        }
    }

    /** The phone system confirms an unregistration: {@code [status]}, 0 = ok. */
    public record UnregisterAck(int status) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.UNREGISTER_ACK;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(status);
        }

        static UnregisterAck read(ByteBuf in) {
            return new UnregisterAck(in.readableBytes() >= 4 ? in.readIntLE() : 0);
        }
    }

    /** The station goes off hook (answers): {@code [lineInstance][callReference]}. */
    public record OffHook(int lineInstance, int callReference) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.OFF_HOOK;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(lineInstance);
            out.writeIntLE(callReference);
        }

        static OffHook read(ByteBuf in) {
            return in.readableBytes() >= 8 ? new OffHook(in.readIntLE(), in.readIntLE()) : new OffHook(0, 0);
        }
    }

    /** The station goes on hook (ends the call): {@code [lineInstance][callReference]}. */
    public record OnHook(int lineInstance, int callReference) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.ON_HOOK;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(lineInstance);
            out.writeIntLE(callReference);
        }

        static OnHook read(ByteBuf in) {
            return in.readableBytes() >= 8 ? new OnHook(in.readIntLE(), in.readIntLE()) : new OnHook(0, 0);
        }
    }

    /** The state of a call on a line: {@code [callState][lineInstance][callReference][privacy][precedence 8]}. */
    public record CallState(int callState, int lineInstance, int callReference) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.CALL_STATE;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(callState);
            out.writeIntLE(lineInstance);
            out.writeIntLE(callReference);
            out.writeZero(12);
        }

        static CallState read(ByteBuf in) {
            return new CallState(in.readIntLE(), in.readIntLE(), in.readIntLE());
        }
    }

    /**
     * Who calls whom.
     * <pre>
     * 0                40             64                104           128       132      136        140
     * +-----------------+--------------+-----------------+-------------+---------+--------+----------+
     * | callingPartyName| callingParty | calledPartyName | calledParty | line    | callRef| callType |
     * +-----------------+--------------+-----------------+-------------+---------+--------+----------+
     * 140                      180                  204                        244                  268
     * +------------------------+--------------------+--------------------------+--------------------+
     * | originalCalledPartyName| originalCalledParty| lastRedirectingPartyName | lastRedirectingParty|
     * +------------------------+--------------------+--------------------------+--------------------+
     * 268: redirect reasons 2x4, voice mailboxes 4x24, callInstance, callSecurityStatus, restriction bits: 384
     * </pre>
     */
    public record CallInfo(String callingPartyName, String callingParty, String calledParty, int lineInstance,
            int callReference, int callType, String originalCalledParty, String lastRedirectingParty)
            implements SkinnyMessage {
        public CallInfo {
            Fixed.check("callingPartyName", callingPartyName, 40);
            Fixed.check("callingParty", callingParty, 24);
            Fixed.check("calledParty", calledParty, 24);
            Fixed.check("originalCalledParty", originalCalledParty, 24);
            Fixed.check("lastRedirectingParty", lastRedirectingParty, 24);
        }

        public MessageType type() {
            return MessageType.CALL_INFO;
        }

        public void writePayload(ByteBuf out) {
            Fixed.writeString(out, callingPartyName, 40);
            Fixed.writeString(out, callingParty, 24);
            out.writeZero(40);
            Fixed.writeString(out, calledParty, 24);
            out.writeIntLE(lineInstance);
            out.writeIntLE(callReference);
            out.writeIntLE(callType);
            out.writeZero(40);
            Fixed.writeString(out, originalCalledParty, 24);
            out.writeZero(40);
            Fixed.writeString(out, lastRedirectingParty, 24);
            out.writeZero(384 - 268);
        }

        static CallInfo read(ByteBuf in) {
            String callingName = Fixed.readString(in, 40);
            String calling = Fixed.readString(in, 24);
            in.skipBytes(40);
            String called = Fixed.readString(in, 24);
            int line = in.readIntLE();
            int ref = in.readIntLE();
            int callType = in.readIntLE();
            String originalCalled = "";
            String lastRedirecting = "";
            if (in.readableBytes() >= 268 - 140) {
                in.skipBytes(40);
                originalCalled = Fixed.readString(in, 24);
                in.skipBytes(40);
                lastRedirecting = Fixed.readString(in, 24);
            }
            return new CallInfo(callingName, calling, called, line, ref, callType, originalCalled, lastRedirecting);
        }
    }

    /** Rings or stops ringing: {@code [ringMode][ringDuration][lineInstance][callReference]}. */
    public record SetRinger(int ringMode, int lineInstance, int callReference) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.SET_RINGER;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(ringMode);
            out.writeIntLE(1); // ringDuration: normal
            out.writeIntLE(lineInstance);
            out.writeIntLE(callReference);
        }

        static SetRinger read(ByteBuf in) {
            int mode = in.readIntLE();
            in.skipBytes(4);
            return in.readableBytes() >= 8 ? new SetRinger(mode, in.readIntLE(), in.readIntLE())
                    : new SetRinger(mode, 0, 0);
        }
    }

    /** Plays a tone: {@code [tone][direction][lineInstance][callReference]}. */
    public record StartTone(int tone, int lineInstance, int callReference) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.START_TONE;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(tone);
            out.writeIntLE(0); // direction: user
            out.writeIntLE(lineInstance);
            out.writeIntLE(callReference);
        }

        static StartTone read(ByteBuf in) {
            int tone = in.readIntLE();
            in.skipBytes(4);
            return in.readableBytes() >= 8 ? new StartTone(tone, in.readIntLE(), in.readIntLE())
                    : new StartTone(tone, 0, 0);
        }
    }

    /**
     * The phone system asks the station to open a receive channel.
     * <pre>
     * 0             4                8              12                16       20          24       28
     * +-------------+----------------+--------------+-----------------+--------+-----------+--------+
     * | conferenceId| passThruPartyId| packetSizeMs | compressionType | ecValue| g723Bitrate| callRef|
     * +-------------+----------------+--------------+-----------------+--------+-----------+--------+
     * 28: encryption key info 48; 76: streamPassThroughId, associatedStreamId, rfc2833PayloadType, dtmfType: 92
     * </pre>
     */
    public record OpenReceiveChannel(int conferenceId, int passThruPartyId, int packetSizeMs, int compressionType,
            int callReference) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.OPEN_RECEIVE_CHANNEL;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(conferenceId);
            out.writeIntLE(passThruPartyId);
            out.writeIntLE(packetSizeMs);
            out.writeIntLE(compressionType);
            out.writeZero(8);
            out.writeIntLE(callReference);
            out.writeZero(92 - 28);
        }

        static OpenReceiveChannel read(ByteBuf in) {
            int conf = in.readIntLE();
            int party = in.readIntLE();
            int packet = in.readIntLE();
            int compression = in.readIntLE();
            in.skipBytes(8);
            return new OpenReceiveChannel(conf, party, packet, compression, in.readIntLE());
        }
    }

    /**
     * The station's answer to {@link OpenReceiveChannel}: where it receives media.
     * {@code [status][ipV4 BE][port][passThruPartyId][callReference]}, status 0 = ok.
     */
    public record OpenReceiveChannelAck(int status, int ipV4, int port, int passThruPartyId, int callReference)
            implements SkinnyMessage {
        public MessageType type() {
            return MessageType.OPEN_RECEIVE_CHANNEL_ACK;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(status);
            out.writeInt(ipV4);
            out.writeIntLE(port);
            out.writeIntLE(passThruPartyId);
            out.writeIntLE(callReference);
        }

        static OpenReceiveChannelAck read(ByteBuf in) {
            int status = in.readIntLE();
            int ip = in.readInt();
            int port = in.readIntLE();
            int party = in.readIntLE();
            int ref = in.readableBytes() >= 4 ? in.readIntLE() : 0;
            return new OpenReceiveChannelAck(status, ip, port, party, ref);
        }
    }

    /**
     * The phone system tells the station where to send media.
     * <pre>
     * 0             4                8             12           16            20                24
     * +-------------+----------------+-------------+------------+-------------+-----------------+
     * | conferenceId| passThruPartyId| remoteIp BE | remotePort | packetSizeMs| compressionType |
     * +-------------+----------------+-------------+------------+-------------+-----------------+
     * 24: qualifierOut 16; 40: callRef; 44: encryption key info 48; 92: five u32 (stream ids, dtmf, mixing): 112
     * </pre>
     */
    public record StartMediaTransmission(int conferenceId, int passThruPartyId, int remoteIpV4, int remotePort,
            int packetSizeMs, int compressionType, int callReference) implements SkinnyMessage {
        public MessageType type() {
            return MessageType.START_MEDIA_TRANSMISSION;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(conferenceId);
            out.writeIntLE(passThruPartyId);
            out.writeInt(remoteIpV4);
            out.writeIntLE(remotePort);
            out.writeIntLE(packetSizeMs);
            out.writeIntLE(compressionType);
            out.writeZero(16);
            out.writeIntLE(callReference);
            out.writeZero(112 - 44);
        }

        static StartMediaTransmission read(ByteBuf in) {
            int conf = in.readIntLE();
            int party = in.readIntLE();
            int ip = in.readInt();
            int port = in.readIntLE();
            int packet = in.readIntLE();
            int compression = in.readIntLE();
            in.skipBytes(16);
            return new StartMediaTransmission(conf, party, ip, port, packet, compression, in.readIntLE());
        }
    }

    /** Stops sending media: {@code [conferenceId][passThruPartyId][callReference][portHandlingFlag]}. */
    public record StopMediaTransmission(int conferenceId, int passThruPartyId, int callReference)
            implements SkinnyMessage {
        public MessageType type() {
            return MessageType.STOP_MEDIA_TRANSMISSION;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(conferenceId);
            out.writeIntLE(passThruPartyId);
            out.writeIntLE(callReference);
            out.writeIntLE(0);
        }

        static StopMediaTransmission read(ByteBuf in) {
            return new StopMediaTransmission(in.readIntLE(), in.readIntLE(), in.readIntLE());
        }
    }

    /** Closes the receive channel: {@code [conferenceId][passThruPartyId][callReference][portHandlingFlag]}. */
    public record CloseReceiveChannel(int conferenceId, int passThruPartyId, int callReference)
            implements SkinnyMessage {
        public MessageType type() {
            return MessageType.CLOSE_RECEIVE_CHANNEL;
        }

        public void writePayload(ByteBuf out) {
            out.writeIntLE(conferenceId);
            out.writeIntLE(passThruPartyId);
            out.writeIntLE(callReference);
            out.writeIntLE(0);
        }

        static CloseReceiveChannel read(ByteBuf in) {
            return new CloseReceiveChannel(in.readIntLE(), in.readIntLE(), in.readIntLE());
        }
    }

    /** Decodes a payload of {@code type}; the caller checked {@code minPayloadBytes}. */
    static SkinnyMessage read(MessageType type, ByteBuf in) {
        switch (type) {
            case KEEP_ALIVE: return new KeepAlive();
            case KEEP_ALIVE_ACK: return new KeepAliveAck();
            case REGISTER: return Register.read(in);
            case REGISTER_ACK: return RegisterAck.read(in);
            case REGISTER_REJECT: return RegisterReject.read(in);
            case UNREGISTER: return Unregister.read(in);
            case UNREGISTER_ACK: return UnregisterAck.read(in);
            case OFF_HOOK: return OffHook.read(in);
            case ON_HOOK: return OnHook.read(in);
            case CALL_STATE: return CallState.read(in);
            case CALL_INFO: return CallInfo.read(in);
            case SET_RINGER: return SetRinger.read(in);
            case START_TONE: return StartTone.read(in);
            case OPEN_RECEIVE_CHANNEL: return OpenReceiveChannel.read(in);
            case OPEN_RECEIVE_CHANNEL_ACK: return OpenReceiveChannelAck.read(in);
            case START_MEDIA_TRANSMISSION: return StartMediaTransmission.read(in);
            case STOP_MEDIA_TRANSMISSION: return StopMediaTransmission.read(in);
            case CLOSE_RECEIVE_CHANNEL: return CloseReceiveChannel.read(in);
            default: throw new IllegalStateException("no reader for " + type);
        }
    }
}
