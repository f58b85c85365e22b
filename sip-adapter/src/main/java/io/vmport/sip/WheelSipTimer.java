package io.vmport.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's timer on a hashed timing wheel (Netty's {@link HashedWheelTimer}): scheduling and cancelling are
 * O(1) whatever the number of timers pending.
 *
 * <p>Why: every transaction arms several timers (retransmission, Timer H/J/K, the dialog's ACK wait) and most
 * are cancelled long before they fire. The stack's default, a {@code java.util.Timer}, keeps cancelled tasks in
 * its binary heap until their time comes, so at a few thousand calls/s the heap holds hundreds of thousands of
 * tasks and its one thread spent about a fifth of the profile re-ordering it ({@code TaskQueue.fixDown}). The
 * wheel drops a cancelled task at its next tick.
 *
 * <p>Resolution is {@value #TICK_MS} ms, far below the SIP timers (T1 = 500 ms). Tasks run on the wheel's one
 * thread, as they ran on the {@code Timer}'s. Selected by the stack property
 * {@code gov.nist.javax.sip.TIMER_CLASS_NAME}; the stack builds it by reflection, hence public.
 */
public final class WheelSipTimer implements SipTimer {

    private static final Logger LOG = LoggerFactory.getLogger(WheelSipTimer.class);
    static final long TICK_MS = 10;
    /** 1,024 ticks of 10 ms: one turn is 10.24 s; longer timers (Timer J's 32 s) wait a few turns. */
    private static final int TICKS_PER_WHEEL = 1_024;

    private volatile HashedWheelTimer wheel;

    /** Built by the stack by reflection; {@link #start} follows. */
    public WheelSipTimer() {
    }

    @Override
    public void start(SipStackImpl sipStack, Properties configurationProperties) {
        String name = "vmport-sip-timer-" + configurationProperties.getProperty("javax.sip.STACK_NAME", "stack");
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
        HashedWheelTimer w = new HashedWheelTimer(threads, TICK_MS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL, false);
        w.start();
        wheel = w;
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delayMs) {
        Timeout timeout = running().newTimeout(new Once(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        task.setSipTimerTask(timeout);
        return true;
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delayMs, long periodMs) {
        if (periodMs <= 0) {
            throw new IllegalArgumentException("periodMs=" + periodMs + ": must be positive (task " + task + ")");
        }
        Repeating repeating = new Repeating(task, periodMs);
        task.setSipTimerTask(repeating);
        repeating.arm(running(), Math.max(0, delayMs));
        return true;
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        Object handle = task.getSipTimerTask();
        task.cleanUpBeforeCancel();
        if (handle instanceof Timeout timeout) {
            return timeout.cancel();
        }
        if (handle instanceof Repeating repeating) {
            return repeating.cancel();
        }
        return false;
    }

    @Override
    public void stop() {
        HashedWheelTimer w = wheel;
        wheel = null;
        if (w != null) {
            w.stop();
        }
    }

    @Override
    public boolean isStarted() {
        return wheel != null;
    }

    private HashedWheelTimer running() {
        HashedWheelTimer w = wheel;
        if (w == null) {
            throw new IllegalStateException("the SIP stack timer is stopped: no new task can be scheduled");
        }
        return w;
    }

    private static void run(SIPStackTimerTask task) {
        try {
            task.runTask();
        } catch (Throwable e) { // the wheel's thread runs every other timer: it must go on
            LOG.error("sip: stack timer task {} failed: {}", task.getClass().getName(), e.toString(), e);
        }
    }

    private record Once(SIPStackTimerTask task) implements TimerTask {
        @Override
        public void run(Timeout timeout) {
            WheelSipTimer.run(task);
        }
    }

    /** A fixed-delay task: re-armed after each run until cancelled. */
    private static final class Repeating implements TimerTask {
        private final SIPStackTimerTask task;
        private final long periodMs;
        private volatile boolean cancelled;
        private volatile Timeout next;

        Repeating(SIPStackTimerTask task, long periodMs) {
            this.task = task;
            this.periodMs = periodMs;
        }

        void arm(io.netty.util.Timer wheel, long delayMs) {
            next = wheel.newTimeout(this, delayMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run(Timeout timeout) {
            if (cancelled) {
                return;
            }
            WheelSipTimer.run(task);
            if (!cancelled) {
                try {
                    arm(timeout.timer(), periodMs);
                } catch (IllegalStateException stopped) {
                    // the stack is stopping: the wheel takes no more tasks
                }
            }
        }

        boolean cancel() {
            cancelled = true;
            Timeout t = next;
            return t == null || t.cancel();
        }
    }
}
