package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** MD-1: G.711 mu-law and A-law tables against the rules and against the JDK's own G.711 decoder. */
class G711Test {

    @Test
    void everyCodeSurvivesDecodeThenEncode() {
        for (Codec codec : Codec.values()) {
            for (int b = 0; b < 256; b++) {
                byte code = (byte) b;
                short linear = codec.decode(code);
                if (codec == Codec.PCMU && (b == 0x7F)) {
                    continue; // mu-law's negative zero: decodes to 0, which encodes as positive zero 0xFF
                }
                assertEquals(code, codec.encode(linear), codec + " code " + Integer.toHexString(b) + " -> " + linear);
            }
        }
    }

    @Test
    void encodingErrorStaysWithinTheSegmentStep() {
        for (Codec codec : Codec.values()) {
            for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
                int back = codec.decode(codec.encode((short) s));
                int error = Math.abs(back - s);
                // G.711 keeps 4 mantissa bits per segment: the error is under 1/16 of the magnitude plus the
                // smallest step (mu-law clips at 32124, A-law at 32256)
                int allowed = Math.abs(s) / 16 + 16 + Math.max(0, Math.abs(s) - 32124);
                assertTrue(error <= allowed, codec + " sample " + s + " came back " + back);
            }
        }
    }

    @Test
    void silenceIsTheLawsZero() {
        assertEquals((byte) 0xFF, Codec.PCMU.silence());
        assertEquals((byte) 0xD5, Codec.PCMA.silence());
        assertEquals(0, Codec.PCMU.decode(Codec.PCMU.silence()));
        assertEquals(8, Codec.PCMA.decode(Codec.PCMA.silence()));
    }

    @Test
    void decodingMatchesTheJdk() throws Exception {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        AudioFormat pcm = new AudioFormat(8000, 16, 1, true, false);
        for (Codec codec : Codec.values()) {
            AudioFormat.Encoding encoding = codec == Codec.PCMU ? AudioFormat.Encoding.ULAW : AudioFormat.Encoding.ALAW;
            AudioFormat law = new AudioFormat(encoding, 8000, 8, 1, 1, 8000, false);
            byte[] decoded = AudioSystem.getAudioInputStream(pcm,
                    new AudioInputStream(new ByteArrayInputStream(all), law, 256)).readAllBytes();
            for (int b = 0; b < 256; b++) {
                short jdk = (short) ((decoded[2 * b] & 0xFF) | (decoded[2 * b + 1] << 8));
                assertEquals(jdk, codec.decode((byte) b), codec + " code " + Integer.toHexString(b));
            }
        }
    }

    @Test
    void payloadTypesAreRfc3551s() {
        assertEquals(0, Codec.PCMU.payloadType());
        assertEquals(8, Codec.PCMA.payloadType());
        assertEquals(Codec.PCMA, Codec.forPayloadType(8).orElseThrow());
        assertTrue(Codec.forPayloadType(18).isEmpty());
    }
}
