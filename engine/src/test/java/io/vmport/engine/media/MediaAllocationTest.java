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
}
