package io.vmport.engine.media;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.testing.Poll;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MD-2 and the no-allocation rule: the send path (pacer tick, G.711 encoding, RTP header, Netty send) allocates
 * nothing per frame. What remains is one Netty scheduled task per tick and loop, shared by all its sessions.
 */
class MediaAllocationTest {
    private static final int SESSIONS = 50;
    /** One DatagramPacket or ByteBuf wrapper per frame would be 24 bytes or more; measured here: about 3. */
    private static final double BOUND_BYTES_PER_FRAME = 16;

    /** The reorder window and the decode buffer of a recording, in bytes. */
    private static final long RECORDING_BUFFER_BYTES = 2L * MediaSession.MAX_FRAME_SAMPLES
            * (MediaSession.REORDER_WINDOW_FRAMES + 1);

    private static long mediaThreadsAllocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("media-")) {
                sum += Math.max(0, mx.getThreadAllocatedBytes(t.getThreadId()));
            }
        }
        return sum;
    }

    @Test
    void playingSessionsAllocateNothingPerFrameSent() throws Exception {
        int first = MediaPlaneTest.freeRange(2 * SESSIONS);
        try (MediaPlane plane = MediaPlane.start(new MediaSettings(MediaPlaneTest.LOOPBACK.getHostAddress(), first,
                first + 2 * SESSIONS - 1, 2, 60_000));
             DatagramSocket sink = new DatagramSocket(new InetSocketAddress(MediaPlaneTest.LOOPBACK, 0))) {
            short[] clip = MediaPlaneTest.tone(8000 * 60, 10000);
            for (int i = 0; i < SESSIONS; i++) {
                MediaSession s = plane.open("alloc-" + i, new MediaPlaneTest.Events());
                s.play(List.of(clip));
                s.connect((InetSocketAddress) sink.getLocalSocketAddress(), i % 2 == 0 ? Codec.PCMU : Codec.PCMA, 101);
            }
            MediaCounters c = plane.counters();
            Poll.await("warm-up frames", 10_000, () -> c.packetsOut() >= 50L * SESSIONS, () -> c.asMap().toString());
            long bytesBefore = mediaThreadsAllocatedBytes();
            long framesBefore = c.packetsOut();
            Poll.await("measured frames", 10_000, () -> c.packetsOut() >= framesBefore + 50L * SESSIONS,
                    () -> c.asMap().toString());
            long frames = c.packetsOut() - framesBefore;
            double bytesPerFrame = (mediaThreadsAllocatedBytes() - bytesBefore) / (double) frames;
            assertTrue(bytesPerFrame < BOUND_BYTES_PER_FRAME, bytesPerFrame + " bytes allocated per frame over "
                    + frames + " frames");
        }
    }

    /**
     * MD-1 and the no-allocation rule at a call's set-up: opening a session allocates its socket, channel and session,
     * not the 9 KiB of receiving buffers that only a recording uses (issue 16 item 7: most calls record nothing).
     */
    @Test
    void openingASessionThatRecordsNothingAllocatesNoRecordingBuffers() throws Exception {
        int sessions = 200;
        int first = MediaPlaneTest.freeRange(2 * sessions);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        try (MediaPlane plane = MediaPlane.start(new MediaSettings(MediaPlaneTest.LOOPBACK.getHostAddress(), first,
                first + 2 * sessions - 1, 2, 60_000))) {
            MediaPlaneTest.Events events = new MediaPlaneTest.Events();
            MediaSession[] open = new MediaSession[sessions];
            for (int i = 0; i < sessions / 2; i++) { // warm-up: classes loaded, code compiled
                open[i] = plane.open("warm-" + i, events);
            }
            long before = mx.getThreadAllocatedBytes(self);
            for (int i = sessions / 2; i < sessions; i++) {
                open[i] = plane.open("call-" + i, events);
            }
            double bytesPerOpen = (mx.getThreadAllocatedBytes(self) - before) / (sessions / 2.0);
            for (MediaSession s : open) {
                s.close();
            }
            assertTrue(bytesPerOpen < RECORDING_BUFFER_BYTES, bytesPerOpen + " bytes allocated per session opened,"
                    + " against " + RECORDING_BUFFER_BYTES + " for the recording buffers alone");
        }
    }
}
