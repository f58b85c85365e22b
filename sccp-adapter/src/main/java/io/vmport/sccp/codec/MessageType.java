package io.vmport.sccp.codec;

/**
 * The Skinny messages this adapter speaks, with their message ids and payload sizes as the Wireshark Skinny
 * dissector decodes them at header version 0 ("Basic"). {@code minPayloadBytes} is the shortest payload accepted
 * from the wire (older protocol versions send less; a shorter one is a truncated message, SPEC BI-2);
 * {@code payloadBytes} is what this adapter writes.
 */
public enum MessageType {
    KEEP_ALIVE(0x0000, 0, 0),
    REGISTER(0x0001, 36, 36),
    OFF_HOOK(0x0006, 0, 8),
    ON_HOOK(0x0007, 0, 8),
    OPEN_RECEIVE_CHANNEL_ACK(0x0022, 16, 20),
    UNREGISTER(0x0027, 0, 4),
    REGISTER_ACK(0x0081, 16, 20),
    START_TONE(0x0082, 8, 16),
    SET_RINGER(0x0085, 8, 16),
    START_MEDIA_TRANSMISSION(0x008a, 44, 112),
    STOP_MEDIA_TRANSMISSION(0x008b, 12, 16),
    CALL_INFO(0x008f, 140, 384),
    REGISTER_REJECT(0x009d, 32, 32),
    KEEP_ALIVE_ACK(0x0100, 0, 0),
    OPEN_RECEIVE_CHANNEL(0x0105, 28, 92),
    CLOSE_RECEIVE_CHANNEL(0x0106, 12, 16),
    CALL_STATE(0x0111, 12, 24),
    UNREGISTER_ACK(0x0118, 0, 4);

    private static final MessageType[] BY_ID = new MessageType[0x0119];

    static {
        for (MessageType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int minPayloadBytes;
    private final int payloadBytes;

    MessageType(int id, int minPayloadBytes, int payloadBytes) {
        this.id = id;
        this.minPayloadBytes = minPayloadBytes;
        this.payloadBytes = payloadBytes;
    }

    /** The message id on the wire. */
    public int id() {
        return id;
    }

    /** The shortest payload accepted when decoding. */
    public int minPayloadBytes() {
        return minPayloadBytes;
    }

    /** The payload size this adapter writes. */
    public int payloadBytes() {
        return payloadBytes;
    }

    /** The type of message id {@code id}, or null when this adapter does not know it. */
    public static MessageType ofId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
