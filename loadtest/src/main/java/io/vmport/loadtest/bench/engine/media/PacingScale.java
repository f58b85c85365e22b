package io.vmport.loadtest.bench.engine.media;

import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaListener;
import io.vmport.engine.media.MediaPlane;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.media.MediaSettings;
import io.vmport.engine.media.RecordingEnd;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * A rough scale check of SPEC MD-2 through the public media API: N sessions on one {@link MediaPlane}, each
 * playing a long clip to one of a few loopback receivers, which measure per session the interval between
 * consecutive RTP packets (what the far end sees: pacing plus loopback plus the receiver thread's own delay) and
 * count sequence gaps. Prints p50/p99/p99.9/max interval, the intervals over 40 ms, and the CPU time of the
 * plane's event loop threads per frame sent (pacing, G.711 encoding, RTP header, Netty send: the real cost per
 * frame of the session code) and the heap bytes those threads allocated per frame.
 *
 * <pre>
 * java -cp loadtest/target/benchmarks.jar io.vmport.loadtest.bench.engine.media.PacingScale \
 *      [--sessions 100,500,1000] [--event-loops 2] [--first-port 40000] [--warmup-seconds 3] [--seconds 10]
 * </pre>
 */
public final class PacingScale {
    private static final int RECEIVERS = 4;

    private PacingScale() {
    }

    public static void main(String[] args) throws Exception {
        String sessions = "100,500,1000";
        int eventLoops = MediaSettings.DEFAULT_EVENT_LOOPS;
        int firstPort = 40000;
        int warmupSeconds = 3;
        int seconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sessions" -> sessions = args[i + 1];
                case "--event-loops" -> eventLoops = Integer.parseInt(args[i + 1]);
                case "--first-port" -> firstPort = Integer.parseInt(args[i + 1]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("sessions  loops  packets  lost  p50_ms  p99_ms  p99.9_ms  max_ms  over40ms"
                + "  cpu_us/frame  alloc_B/frame  load(1m)");
        for (String n : sessions.split(",")) {
            run(Integer.parseInt(n.trim()), eventLoops, firstPort, warmupSeconds, seconds);
        }
    }

    private static void run(int sessions, int eventLoops, int firstPort, int warmupSeconds, int seconds)
            throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MediaSettings settings = new MediaSettings(loopback.getHostAddress(), firstPort,
                firstPort + 2 * sessions + 199, eventLoops, 3_600_000);
        List<Receiver> receivers = new ArrayList<>();
        try (MediaPlane plane = MediaPlane.start(settings)) {
            for (int r = 0; r < RECEIVERS; r++) {
                receivers.add(new Receiver(loopback, firstPort, settings.sessionCapacity()));
            }
            short[] clip = new short[(warmupSeconds + seconds + 5) * Codec.CLOCK_RATE_HZ];
            for (int i = 0; i < clip.length; i++) {
                clip[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            }
            List<MediaSession> open = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                MediaSession session = plane.open("scale-" + s, NoListener.INSTANCE);
                session.play(List.of(clip));
                session.connect(receivers.get(s % RECEIVERS).address(), Codec.PCMU, -1);
                open.add(session);
            }
            receivers.forEach(Thread::start);
            Thread.sleep(warmupSeconds * 1000L);
            receivers.forEach(Receiver::reset);
            long cpuBeforeNs = mediaThreadsCpuNs();
            long allocBefore = mediaThreadsAllocatedBytes();
            long sentBefore = plane.counters().packetsOut();
            Thread.sleep(seconds * 1000L);
            long frames = Math.max(1, plane.counters().packetsOut() - sentBefore);
            double cpuUsPerFrame = (mediaThreadsCpuNs() - cpuBeforeNs) / 1000.0 / frames;
            double bytesPerFrame = (mediaThreadsAllocatedBytes() - allocBefore) / (double) frames;
            Histogram total = new Histogram(3_600_000_000L, 3);
            long lost = 0;
            long over40 = 0;
            for (Receiver r : receivers) {
                r.stopAndJoin();
                total.add(r.intervalsUs);
                lost += r.lost;
                over40 += r.over40;
            }
            open.forEach(MediaSession::close);
            System.out.printf(Locale.ROOT, "%8d  %5d  %7d  %4d  %6.2f  %6.2f  %8.2f  %6.2f  %8d  %12.2f  %13.1f  %s%n",
                    sessions, eventLoops, total.getTotalCount(), lost, total.getValueAtPercentile(50) / 1000.0,
                    total.getValueAtPercentile(99) / 1000.0, total.getValueAtPercentile(99.9) / 1000.0,
                    total.getMaxValue() / 1000.0, over40, cpuUsPerFrame, bytesPerFrame, loadAverage());
        }
    }

    /** CPU time of the plane's event loop threads (named "media-..."): pacing, encoding, sending. */
    private static long mediaThreadsCpuNs() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("media-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** Heap bytes the plane's loop threads allocated (HotSpot's per-thread counter). */
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

    private static String loadAverage() throws IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** One loopback socket taking the streams of some sessions; interval per session by its source port. */
    private static final class Receiver extends Thread {
        private final DatagramChannel channel;
        private final int firstPort;
        private final long[] lastNs;
        private final int[] lastSeq;
        final Histogram intervalsUs = new Histogram(3_600_000_000L, 3);
        volatile boolean resetRequested;
        long lost;
        long over40;

        Receiver(InetAddress host, int firstPort, int sessions) throws IOException {
            super("rtp-receiver");
            this.firstPort = firstPort;
            this.lastNs = new long[sessions + 1];
            this.lastSeq = new int[sessions + 1];
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(host, 0));
            setDaemon(true);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        void reset() {
            resetRequested = true;
        }

        void stopAndJoin() throws Exception {
            channel.close();
            join();
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    buf.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                    long nowNs = System.nanoTime();
                    if (resetRequested) {
                        resetRequested = false;
                        intervalsUs.reset();
                        lost = 0;
                        over40 = 0;
                        java.util.Arrays.fill(lastNs, 0);
                    }
                    int slot = (from.getPort() - firstPort) / 2;
                    int seq = buf.getShort(2) & 0xFFFF;
                    if (lastNs[slot] != 0) {
                        int step = (seq - lastSeq[slot]) & 0xFFFF;
                        if (step == 1) {
                            long us = (nowNs - lastNs[slot]) / 1000;
                            intervalsUs.recordValue(us);
                            if (us > 40_000) {
                                over40++;
                            }
                        } else {
                            lost += step - 1;
                        }
                    }
                    lastNs[slot] = nowNs;
                    lastSeq[slot] = seq;
                }
            } catch (ClosedChannelException e) {
                // stopped
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private enum NoListener implements MediaListener {
        INSTANCE;

        @Override
        public void onDigit(char digit, long nowNs) {
        }

        @Override
        public void onPlaybackDone(long nowNs) {
        }

        @Override
        public void onRecordingEnded(RecordingEnd reason, short[] pcm, int durationMs, long nowNs) {
        }

        @Override
        public void onMediaTimeout(long nowNs) {
        }
    }
}
