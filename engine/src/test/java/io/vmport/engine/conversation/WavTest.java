package io.vmport.engine.conversation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.engine.media.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** The 8 kHz mono WAV of prompts, greetings and messages (MS-1). */
class WavTest {
    private static short[] ramp(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) ((i * 97) % 20_000 - 10_000);
        }
        return s;
    }

    private static byte[] write(byte[] pcm, AudioFormat format, int frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), format, frames),
                AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    @Test
    void linearPcmRoundTrips() {
        short[] samples = ramp(1_600);
        byte[] wav = Wav.encode(samples, 800);
        assertEquals(44 + 1_600, wav.length);
        assertArrayEquals(java.util.Arrays.copyOf(samples, 800), Wav.decode(wav));
        assertEquals(100, Wav.durationMs(800));
    }

    @Test
    void muLawFilesAreReadAsLinearSamples() throws Exception {
        short[] samples = ramp(800);
        byte[] linear = Wav.encode(samples, samples.length);
        AudioInputStream ulaw = AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW,
                AudioSystem.getAudioInputStream(new ByteArrayInputStream(linear)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(ulaw, AudioFileFormat.Type.WAVE, out);

        short[] back = Wav.decode(out.toByteArray());
        assertEquals(samples.length, back.length);
        for (int i = 0; i < samples.length; i++) {
            assertTrue(Math.abs(samples[i] - back[i]) <= Math.abs(samples[i]) / 16 + 8, "sample " + i);
        }
    }

    @Test
    void otherFormatsAreRefusedNamingTheFormat() throws Exception {
        byte[] wideband = write(new byte[320], new AudioFormat(16_000, 16, 1, true, false), 160);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wav.decode(wideband));
        assertTrue(e.getMessage().contains("16000"), e.getMessage());
        byte[] stereo = write(new byte[640], new AudioFormat(8_000, 16, 2, true, false), 160);
        assertThrows(IllegalArgumentException.class, () -> Wav.decode(stereo));
        IllegalArgumentException junk = assertThrows(IllegalArgumentException.class,
                () -> Wav.decode("not audio".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertTrue(junk.getMessage().contains("not a WAV file"), junk.getMessage());
    }
    /** A whole second of linear PCM is written as a RIFF file of 44 + 16,000 bytes and read back exactly. */
    @Test
    void aSecondOfPcmRoundTripsExactly() {
        short[] pcm = ramp(8_000);
        byte[] wav = Wav.encode(pcm, pcm.length);
        assertEquals(44 + 16_000, wav.length);
        assertEquals("RIFF", new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(pcm, Wav.decode(wav));
    }

    /** A mu-law prompt decodes to exactly the samples the media plane's G.711 table gives. */
    @Test
    void muLawDecodesAsTheMediaPlanesTable() throws Exception {
        short[] pcm = ramp(800);
        byte[] ulaw = new byte[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            ulaw[i] = Codec.PCMU.encode(pcm[i]);
        }
        short[] back = Wav.decode(write(ulaw, new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false),
                ulaw.length));
        assertEquals(pcm.length, back.length);
        for (int i = 0; i < pcm.length; i++) {
            assertEquals(Codec.PCMU.decode(ulaw[i]), back[i], "sample " + i);
        }
    }

    @Test
    void anotherRateIsRefusedNamingWhatIsAllowed() throws Exception {
        byte[] wideband = write(new byte[320], new AudioFormat(16000, 16, 1, true, false), 160);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wav.decode(wideband));
        assertTrue(e.getMessage().contains("16000.0 Hz") && e.getMessage().contains("allowed: 8000 Hz"),
                e.getMessage());
    }
}
