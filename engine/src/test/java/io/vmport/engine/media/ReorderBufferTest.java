package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Received frames reach the recording in sequence order; lost ones as silence (MD-4 recording). */
class ReorderBufferTest {
    /** Each frame carries its sequence number as its first sample; lost frames show as -1. */
    private final List<Integer> out = new ArrayList<>();
    private final ReorderBuffer.Sink sink = new ReorderBuffer.Sink() {
        @Override
        public void audio(short[] pcm, int length) {
            out.add((int) pcm[0]);
        }

        @Override
        public void lost(int samples) {
            out.add(-1);
        }
    };
    private final ReorderBuffer buffer = new ReorderBuffer(4, 160);

    private void offer(int... sequences) {
        for (int s : sequences) {
            short[] pcm = new short[160];
            pcm[0] = (short) s;
            buffer.offer(s & 0xFFFF, pcm, 160, sink);
        }
    }

    @Test
    void inOrderFramesPassStraightThrough() {
        offer(10, 11, 12);
        assertEquals(List.of(10, 11, 12), out);
    }

    @Test
    void swappedFramesComeOutInOrder() {
        offer(10, 12, 11, 13);
        assertEquals(List.of(10, 11, 12, 13), out);
        assertEquals(0, buffer.lost());
    }

    @Test
    void aFrameMissingLongerThanTheWindowBecomesSilence() {
        offer(10, 12, 13, 14);
        assertEquals(List.of(10), out, "12-14 wait for 11 within the window");
        offer(15);
        assertEquals(List.of(10, -1, 12, 13, 14, 15), out);
        assertEquals(1, buffer.lost());
        offer(11);
        assertEquals(1, buffer.late(), "11 came after its place was filled");
    }

    @Test
    void duplicatesAreDropped() {
        offer(10, 12, 12, 11, 11);
        assertEquals(List.of(10, 11, 12), out);
        assertEquals(2, buffer.late());
    }

    @Test
    void sequenceWrapsAround() {
        offer(65534, 65535, 65536, 65537);
        assertEquals(List.of(65534, 65535, 0, 1), out.stream().map(v -> v & 0xFFFF).toList());
    }

    @Test
    void aBigJumpRestartsTheSequenceWithoutFillingSilence() {
        offer(10, 11, 5000, 5001);
        assertEquals(List.of(10, 11, 5000, 5001), out);
        assertEquals(0, buffer.lost());
    }

    @Test
    void flushGivesWhatWaitsWithTheGapsFilled() {
        offer(10, 12, 14);
        buffer.flush(sink);
        assertEquals(List.of(10, -1, 12, -1, 14), out);
    }
}
