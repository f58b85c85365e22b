package io.vmport.engine.media;

import java.util.Optional;

/** The audio codecs of a call: G.711 mu-law and A-law (RFC 3551 static payload types 0 and 8), 8 kHz. */
public enum Codec {
    PCMU(0),
    PCMA(8);

    /** RTP clock rate of both codecs, samples per second. */
    public static final int CLOCK_RATE_HZ = 8000;

    private final int payloadType;

    Codec(int payloadType) {
        this.payloadType = payloadType;
    }

    /** The static RTP payload type (RFC 3551): 0 for PCMU, 8 for PCMA. */
    public int payloadType() {
        return payloadType;
    }

    /** The codec of a static payload type, empty for any other. */
    public static Optional<Codec> forPayloadType(int payloadType) {
        for (Codec c : values()) {
            if (c.payloadType == payloadType) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Encodes one 16-bit linear sample. */
    public byte encode(short sample) {
        return this == PCMU ? G711.ulaw(sample) : G711.alaw(sample);
    }

    /** Decodes one G.711 byte to a 16-bit linear sample. */
    public short decode(byte code) {
        return this == PCMU ? G711.ulawToLinear(code) : G711.alawToLinear(code);
    }

    /** The byte that decodes to silence (0xFF mu-law, 0xD5 A-law). */
    byte silence() {
        return encode((short) 0);
    }
}
