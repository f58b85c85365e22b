package io.vmport.engine.media;

import java.util.Arrays;

/**
 * Puts received audio frames back in RTP sequence order before they reach the recording. Frames wait in a small
 * window of preallocated slots; a frame that was not received by the time the window has moved past it is given
 * to the sink as silence of the previous frame's length (counted lost); a frame older than the window or a
 * duplicate is dropped (counted late). A jump of more than {@link #RESYNC_FRAMES} either way (a sender that
 * restarted its sequence) flushes the window and starts again from that frame, so it cannot insert minutes of
 * silence nor stall the recording. Sequence numbers are compared modulo 2^16. Not thread-safe: one session's loop.
 */
final class ReorderBuffer {
    /** Where ordered audio goes. */
    interface Sink {
        void audio(short[] pcm, int length);

        void lost(int samples);
    }

    static final int RESYNC_FRAMES = 50;

    private final int window;
    private final short[][] slots;
    private final int[] lengths;
    private final boolean[] present;
    private final short[] silence;
    private boolean started;
    private int expected;
    private int lastLength = MediaSession.FRAME_SAMPLES;
    private long lost;
    private long late;

    ReorderBuffer(int window, int maxFrameSamples) {
        if (Integer.bitCount(window) != 1 || maxFrameSamples < 1) {
            throw new IllegalArgumentException("window " + window + ", frame " + maxFrameSamples
                    + "; allowed: a power of two (so slots stay in step across the 2^16 wrap), frame >= 1");
        }
        this.window = window;
        slots = new short[window][maxFrameSamples];
        lengths = new int[window];
        present = new boolean[window];
        silence = new short[maxFrameSamples];
    }

    /** Forgets everything held; the next frame starts a new sequence. */
    void reset() {
        Arrays.fill(present, false);
        started = false;
    }

    /** Takes the frame {@code sequence} of {@code length} samples from {@code pcm} (copied). */
    void offer(int sequence, short[] pcm, int length, Sink sink) {
        if (!started) {
            started = true;
            expected = sequence;
        }
        int delta = (short) (sequence - expected);
        if (delta > RESYNC_FRAMES || delta < -RESYNC_FRAMES) {
            flush(sink);
            expected = sequence;
            delta = 0;
        }
        if (delta < 0) {
            late++;
            return;
        }
        while (delta >= window) {
            emitExpected(sink);
            delta--;
        }
        int slot = sequence % window;
        if (present[slot]) {
            late++;
            return;
        }
        System.arraycopy(pcm, 0, slots[slot], 0, length);
        lengths[slot] = length;
        present[slot] = true;
        while (present[expected % window]) {
            emitExpected(sink);
        }
    }

    /** Gives the sink every frame held, in order, the missing ones between them as silence. */
    void flush(Sink sink) {
        int last = -1;
        for (int d = 0; d < window; d++) {
            if (present[(expected + d) % window]) {
                last = d;
            }
        }
        for (int d = 0; d <= last; d++) {
            emitExpected(sink);
        }
    }

    private void emitExpected(Sink sink) {
        int slot = expected % window;
        if (present[slot]) {
            present[slot] = false;
            lastLength = lengths[slot];
            sink.audio(slots[slot], lengths[slot]);
        } else {
            lost++;
            sink.lost(lastLength);
        }
        expected = (expected + 1) & 0xFFFF;
    }

    /** Frames never received, filled with silence. */
    long lost() {
        return lost;
    }

    /** Frames dropped as too late or duplicate. */
    long late() {
        return late;
    }
}
