package io.vmport.engine.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.InputStream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** Every prompt the conversation can ask for (each {@link Prompt}) exists, is 8 kHz mono WAV and is heard (MD-3). */
class PromptResourcesTest {
    /** Below this RMS (of 32767) a prompt would be inaudible on a phone: about -50 dBFS. */
    private static final double MIN_RMS = 100;
    /** A word said takes at least this long; a truncated file would not. */
    private static final int MIN_SAMPLES = Wav.SAMPLE_RATE / 10;

    @Test
    void everyPromptIsAn8kHzMono16BitWavFile() throws Exception {
        for (Prompt p : Prompt.values()) {
            try (InputStream raw = Prompts.class.getResourceAsStream("/prompts/" + p.fileName())) {
                assertNotNull(raw, "resource for " + p);
                AudioFileFormat file = AudioSystem.getAudioFileFormat(new BufferedInputStream(raw));
                AudioFormat f = file.getFormat();
                assertEquals(AudioFileFormat.Type.WAVE, file.getType(), p.toString());
                assertEquals(8_000f, f.getSampleRate(), p.toString());
                assertEquals(1, f.getChannels(), p.toString());
                assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding(), p.toString());
                assertEquals(16, f.getSampleSizeInBits(), p.toString());
            }
        }
    }

    @Test
    void everyPromptLoadsAndIsNotSilent() {
        Prompts prompts = Prompts.shared();
        for (Prompt p : Prompt.values()) {
            short[] s = prompts.samples(p);
            assertTrue(s.length >= MIN_SAMPLES, p + " has " + s.length + " samples");
            double sum = 0;
            for (short v : s) {
                sum += (double) v * v;
            }
            double rms = Math.sqrt(sum / s.length);
            assertTrue(rms > MIN_RMS, p + " is silent: rms " + rms);
        }
        assertSame(prompts, Prompts.shared(), "loaded once");
    }

    @Test
    void theBeepIsA250MsTone() {
        assertEquals(2_000, Prompts.shared().samples(Prompt.BEEP).length);
    }
}
