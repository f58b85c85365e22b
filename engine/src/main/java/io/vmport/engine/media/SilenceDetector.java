package io.vmport.engine.media;

/**
 * Energy-based silence: a frame is silent when the mean absolute amplitude of its samples is below the threshold.
 * The default, 128 of 32767 (about -48 dBFS), is Asterisk {@code app_voicemail}'s default {@code silencethreshold}
 * measured the same way (mean |sample| per frame, {@code dsp.c}): well above the idle noise of a G.711 line (a few
 * units) and well below speech (hundreds to thousands), so a quiet speaker is not cut off.
 */
final class SilenceDetector {
    static final int DEFAULT_THRESHOLD = 128;

    private final int threshold;

    SilenceDetector(int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("silence threshold " + threshold + "; allowed: >= 0");
        }
        this.threshold = threshold;
    }

    /** Whether the {@code length} samples from {@code offset} are silent. */
    boolean silent(short[] pcm, int offset, int length) {
        if (length <= 0) {
            return true;
        }
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += Math.abs(pcm[i]);
        }
        return sum < (long) threshold * length;
    }
}
