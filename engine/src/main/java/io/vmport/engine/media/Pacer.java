package io.vmport.engine.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractEventExecutor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one 20 ms timer of an event loop (SPEC MD-2): every tick sends the next frame of every session on the loop
 * and checks their media timeouts, on a drift-free {@link PacingSchedule}. No thread or timer per call. All its
 * state is touched on its loop only.
 */
final class Pacer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);
    static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int MAX_CATCH_UP_FRAMES = 2;
    static final int FRAME_BYTES = RtpPacket.HEADER_BYTES + MediaSession.FRAME_SAMPLES;

    private final EventLoop loop;
    private final MediaCounters counters;
    private final List<MediaSession> sessions = new ArrayList<>();
    /** Encoded payload of the frame being sent; one per loop, sessions take turns. */
    final byte[] payload = new byte[MediaSession.FRAME_SAMPLES];
    private final ByteBuffer frameMemory = ByteBuffer.allocateDirect(FRAME_BYTES);
    /**
     * The RTP frame being sent (header and payload), written by the session whose turn it is; direct memory, so the
     * send system call reads it in place. One per loop: a send copies the frame into the kernel before it returns.
     */
    final ByteBuf frame = Unpooled.wrappedBuffer(frameMemory);
    private PacingSchedule schedule;
    private long restartsSeen;

    Pacer(EventLoop loop, MediaCounters counters) {
        this.loop = loop;
        this.counters = counters;
    }

    /** {@link #frame}'s memory as the whole datagram to send; the view is reused, never allocated per frame. */
    ByteBuffer frameView() {
        frameMemory.clear();
        return frameMemory;
    }

    EventLoop loop() {
        return loop;
    }

    void start() {
        loop.execute(() -> {
            schedule = new PacingSchedule(System.nanoTime(), PERIOD_NS, MAX_CATCH_UP_FRAMES);
            scheduleNext();
        });
    }

    /**
     * Runs {@code task} on the loop without waking it: it runs with the tasks queued before it, before the next tick
     * (the tick wakes the loop every {@link #PERIOD_NS}; a task queued before a tick is due runs first).
     */
    void beforeNextTick(Runnable task) {
        if (loop instanceof AbstractEventExecutor executor) {
            executor.lazyExecute(task);
        } else {
            loop.execute(task);
        }
    }

    /** Adds a session; on the loop. */
    void add(MediaSession session) {
        sessions.add(session);
    }

    /** Removes a session after the current tick; from any thread. */
    void remove(MediaSession session) {
        loop.execute(() -> sessions.remove(session));
    }

    @Override
    public void run() {
        long nowNs = System.nanoTime();
        int frames = schedule.due(nowNs);
        if (schedule.restarts() != restartsSeen) {
            counters.pacerRestarts.add(schedule.restarts() - restartsSeen);
            restartsSeen = schedule.restarts();
        }
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < sessions.size(); i++) {
                try {
                    sessions.get(i).tick(nowNs);
                } catch (RuntimeException e) {
                    LOG.warn("media tick of session {} failed", sessions.get(i), e);
                }
            }
        }
        scheduleNext();
    }

    private void scheduleNext() {
        if (!loop.isShuttingDown()) {
            loop.schedule(this, schedule.delayNs(System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
