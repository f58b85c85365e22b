package io.vmport.engine.media;

import java.util.ArrayList;
import java.util.List;

/**
 * One recording in progress: ordered audio appended into one-second chunks (the only allocation, once a second),
 * ended by its maximum length, by the silence limit, or by a stop (SPEC MD-4). On a silence end the trailing
 * silence is cut off, so a recording of nothing but silence comes out empty (and is discarded as too short).
 * Not thread-safe: one session's loop.
 */
final class Recording implements ReorderBuffer.Sink {
    private static final int CHUNK_SAMPLES = Codec.CLOCK_RATE_HZ;

    private final long maxSamples;
    private final long silenceSamples;
    private final SilenceDetector detector;
    private final List<short[]> chunks = new ArrayList<>();
    private final short[] zeros = new short[CHUNK_SAMPLES];
    private int samples;
    private int trailingSilentSamples;
    private RecordingEnd end;

    Recording(long maxMs, long silenceMs, SilenceDetector detector) {
        if (maxMs < 1 || maxMs > Integer.MAX_VALUE / 8 || silenceMs < 1) {
            throw new IllegalArgumentException("recording max " + maxMs + " ms, silence " + silenceMs
                    + " ms; allowed: 1 ms to " + Integer.MAX_VALUE / 8 + " ms, silence >= 1 ms");
        }
        this.maxSamples = maxMs * Codec.CLOCK_RATE_HZ / 1000;
        this.silenceSamples = silenceMs * Codec.CLOCK_RATE_HZ / 1000;
        this.detector = detector;
    }

    @Override
    public void audio(short[] pcm, int length) {
        append(pcm, length, detector.silent(pcm, 0, length));
    }

    @Override
    public void lost(int length) {
        int left = length;
        while (left > 0 && end == null) {
            int n = Math.min(left, zeros.length);
            append(zeros, n, true);
            left -= n;
        }
    }

    private void append(short[] pcm, int length, boolean silent) {
        if (end != null) {
            return;
        }
        int n = (int) Math.min(length, maxSamples - samples);
        int from = 0;
        while (from < n) {
            int inChunk = samples % CHUNK_SAMPLES;
            if (inChunk == 0 && samples / CHUNK_SAMPLES == chunks.size()) {
                chunks.add(new short[CHUNK_SAMPLES]);
            }
            int k = Math.min(n - from, CHUNK_SAMPLES - inChunk);
            System.arraycopy(pcm, from, chunks.get(samples / CHUNK_SAMPLES), inChunk, k);
            samples += k;
            from += k;
        }
        trailingSilentSamples = silent ? trailingSilentSamples + n : 0;
        if (samples >= maxSamples) {
            end = RecordingEnd.MAX_LENGTH;
        } else if (trailingSilentSamples >= silenceSamples) {
            end = RecordingEnd.SILENCE;
        }
    }

    /** Ends it for silence measured by the clock (the sender stopped sending, e.g. voice activity detection). */
    void endBySilence() {
        if (end == null) {
            end = RecordingEnd.SILENCE;
        }
    }

    /** Ends it by a stop, unless it has already ended. */
    void stop() {
        if (end == null) {
            end = RecordingEnd.STOPPED;
        }
    }

    /** Why it ended, or null while it runs. */
    RecordingEnd end() {
        return end;
    }

    /** The recorded audio, without the trailing silence when it ended for silence. */
    short[] pcm() {
        int n = end == RecordingEnd.SILENCE ? samples - Math.min(samples, trailingSilentSamples) : samples;
        short[] out = new short[n];
        for (int at = 0; at < n; at += CHUNK_SAMPLES) {
            System.arraycopy(chunks.get(at / CHUNK_SAMPLES), 0, out, at, Math.min(CHUNK_SAMPLES, n - at));
        }
        return out;
    }

    /** Samples recorded so far, trailing silence included. */
    int samples() {
        return samples;
    }
}
