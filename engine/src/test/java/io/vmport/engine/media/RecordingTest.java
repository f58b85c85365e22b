package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** MD-4: a recording ends at its maximum length, after the silence limit, or on a stop. */
class RecordingTest {
    private static final SilenceDetector DETECTOR = new SilenceDetector(SilenceDetector.DEFAULT_THRESHOLD);

    private static short[] frame(int amplitude) {
        short[] pcm = new short[160];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i % 2 == 0 ? amplitude : -amplitude);
        }
        return pcm;
    }

    @Test
    void silenceIsJudgedByMeanAmplitude() {
        assertTrue(DETECTOR.silent(frame(127), 0, 160));
        assertFalse(DETECTOR.silent(frame(128), 0, 160));
        assertTrue(DETECTOR.silent(new short[0], 0, 0));
    }

    @Test
    void endsAtMaxLengthCutExactly() {
        Recording r = new Recording(1000, 5000, DETECTOR);
        for (int i = 0; i < 49; i++) {
            r.audio(frame(1000), 160);
        }
        assertNull(r.end());
        r.audio(new short[480], 480);
        assertEquals(RecordingEnd.MAX_LENGTH, r.end());
        assertEquals(8000, r.pcm().length);
        r.audio(frame(1000), 160);
        assertEquals(8000, r.samples(), "nothing is added after the end");
    }

    @Test
    void endsAfterTheSilenceLimitWithTheSilenceCutOff() {
        Recording r = new Recording(60_000, 200, DETECTOR);
        for (int i = 0; i < 25; i++) {
            r.audio(frame(1000), 160);
        }
        for (int i = 0; i < 8; i++) {
            r.audio(frame(20), 160);
        }
        r.lost(160);
        assertNull(r.end(), "180 ms of silence (a lost frame counts as silence) is not yet the limit");
        r.audio(frame(20), 160);
        assertEquals(RecordingEnd.SILENCE, r.end());
        short[] pcm = r.pcm();
        assertEquals(25 * 160, pcm.length);
        assertTrue(Arrays.equals(frame(1000), Arrays.copyOfRange(pcm, 24 * 160, 25 * 160)));
    }

    @Test
    void voiceResetsTheSilenceCount() {
        Recording r = new Recording(60_000, 200, DETECTOR);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 9; i++) {
                r.audio(frame(0), 160);
            }
            r.audio(frame(1000), 160);
        }
        assertNull(r.end());
    }

    @Test
    void stopKeepsEverythingAcrossChunks() {
        Recording r = new Recording(60_000, 10_000, DETECTOR);
        short[] ramp = new short[160];
        for (int i = 0; i < 120; i++) {
            Arrays.fill(ramp, (short) (i * 100));
            r.audio(ramp, 160);
        }
        r.stop();
        assertEquals(RecordingEnd.STOPPED, r.end());
        short[] pcm = r.pcm();
        assertEquals(120 * 160, pcm.length);
        for (int i = 0; i < 120; i++) {
            assertEquals(i * 100, pcm[i * 160 + 159], "frame " + i);
        }
    }

    @Test
    void refusesNonsenseLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Recording(0, 100, DETECTOR));
        assertThrows(IllegalArgumentException.class, () -> new Recording(100, 0, DETECTOR));
    }
}
