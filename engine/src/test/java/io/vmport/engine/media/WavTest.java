package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** MS-1: messages are 8 kHz WAV; prompts may be G.711 WAV. */
class WavTest {

    static short[] tone(int samples, int amplitude) {
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (short) (amplitude * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        return pcm;
    }

    @Test
    void pcmRoundTripsExactly() {
        short[] pcm = tone(8000, 12000);
        byte[] wav = Wav.toWav(pcm);
        assertEquals(44 + 16000, wav.length);
        assertEquals("RIFF", new String(wav, 0, 4));
        assertArrayEquals(pcm, Wav.fromWav(wav));
    }

    @Test
    void aMuLawWavIsDecoded() throws Exception {
        short[] pcm = tone(800, 8000);
        byte[] ulaw = new byte[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            ulaw[i] = Codec.PCMU.encode(pcm[i]);
        }
        AudioFormat f = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(ulaw), f, ulaw.length),
                AudioFileFormat.Type.WAVE, out);
        short[] back = Wav.fromWav(out.toByteArray());
        assertEquals(pcm.length, back.length);
        for (int i = 0; i < pcm.length; i++) {
            assertEquals(Codec.PCMU.decode(ulaw[i]), back[i], "sample " + i);
        }
    }

    @Test
    void otherRatesAndNonWavAreRefusedNamingTheFormat() throws Exception {
        AudioFormat f16k = new AudioFormat(16000, 16, 1, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(new byte[320]), f16k, 160),
                AudioFileFormat.Type.WAVE, out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wav.fromWav(out.toByteArray()));
        assertTrue(e.getMessage().contains("16000.0 Hz") && e.getMessage().contains("allowed: 8000 Hz"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wav.fromWav(new byte[]{1, 2, 3}));
    }
}
