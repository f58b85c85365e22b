package io.vmport.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MWI NOTIFY client transactions of one trunk (RFC 3261 17.1.2, non-INVITE over UDP), kept outside the JAIN-SIP
 * stack (issue 14: 10,000 NOTIFYs of MW-3 as stack transactions made the garbage and the stack work that slowed the
 * calls beside them). A NOTIFY is sent from the trunk's own UDP socket as bytes; its answer is taken off that
 * socket by the {@link ArrivalGate} before the stack's queue and parser ({@link #consumedResponse}), in the stack's
 * receive buffer, so an answered NOTIFY leaves no object behind. Timer E retransmits it (T1, doubling up to T2;
 * T2 once a provisional answer came) and Timer F reports "no answer" after 64 x T1. There is no Timer K: a
 * retransmitted final answer is recognised by its branch and dropped.
 *
 * <p>Each NOTIFY's Via branch is {@code z9hG4bKvmwi<instance>.<id>}: the instance (random per trunk start) keeps
 * answers meant for an earlier run apart, the id (hexadecimal) finds the transaction without making a string.
 * Thread-safe: NOTIFYs start on the notifiers' threads, answers arrive on the socket's receiving thread, timers
 * run on one thread of its own (started with the first NOTIFY). Each outcome is reported once.
 */
final class NotifyTransactions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyTransactions.class);

    /** RFC 3261 T2: the longest retransmission interval of a non-INVITE request. */
    static final long T2_MS = 4_000;
    private static final byte[] STATUS_LINE = "SIP/2.0 ".getBytes(StandardCharsets.US_ASCII);

    /** One NOTIFY awaiting its final answer. */
    private final class Pending implements Runnable {
        final long id;
        final byte[] message;
        final InetSocketAddress target;
        final NotifyTransport.Completion done;
        final long timeoutAtNs;
        long intervalMs;
        volatile boolean proceeding;
        volatile ScheduledFuture<?> timer;

        Pending(long id, byte[] message, InetSocketAddress target, NotifyTransport.Completion done, long t1Ms,
                long nowNs) {
            this.id = id;
            this.message = message;
            this.target = target;
            this.done = done;
            this.intervalMs = t1Ms;
            this.timeoutAtNs = nowNs + TimeUnit.MILLISECONDS.toNanos(64 * t1Ms);
        }

        /** Timer E or F, on the timer thread. */
        @Override
        public void run() {
            if (pending.get(id) != this) {
                return;
            }
            long nowNs = clockNs.getAsLong();
            if (nowNs - timeoutAtNs >= 0) {
                finish(this, 0, "no answer");
                return;
            }
            send(this);
            intervalMs = proceeding ? T2_MS : Math.min(intervalMs * 2, T2_MS);
            schedule(this, nowNs);
        }
    }

    private final LongSupplier clockNs;
    private final String instance = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    /** Every NOTIFY's branch up to its id; the answers are found by it. */
    private final String branchPrefix = "z9hG4bKvmwi" + instance + ".";
    private final byte[] branchMark = ("branch=" + branchPrefix).getBytes(StandardCharsets.US_ASCII);
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile DatagramSocket socket;
    private ScheduledThreadPoolExecutor timers;
    private boolean closed;

    NotifyTransactions(LongSupplier clockNs) {
        this.clockNs = clockNs;
    }

    /** The trunk's UDP socket, which NOTIFYs are sent from (set when the stack makes it). */
    void useSocket(DatagramSocket udp) {
        this.socket = udp;
    }

    /** A new transaction id; {@link #branch} and {@link #callId} name it in the NOTIFY. */
    long newId() {
        return ids.incrementAndGet();
    }

    /** The Via branch of transaction {@code id}. */
    String branch(long id) {
        return branchPrefix + Long.toHexString(id);
    }

    /** A Call-ID unique to transaction {@code id} (each NOTIFY is out of dialog). */
    String callId(long id) {
        return "vmwi" + instance + "." + Long.toHexString(id);
    }

    /**
     * Sends {@code message} (the NOTIFY of transaction {@code id}) and keeps it until its final answer or 64 x
     * {@code t1Ms}; {@code done} is then told the outcome once, on another thread.
     *
     * @throws IOException when it cannot be sent at all (then {@code done} is never called)
     */
    void start(long id, byte[] message, InetSocketAddress target, int t1Ms, NotifyTransport.Completion done)
            throws IOException {
        DatagramSocket udp = socket;
        if (udp == null) {
            throw new IOException("the trunk has no UDP socket to send MWI from");
        }
        if (target.isUnresolved()) {
            throw new IOException("cannot resolve " + target.getHostString());
        }
        Pending p = new Pending(id, message, target, done, t1Ms, clockNs.getAsLong());
        ScheduledThreadPoolExecutor t = timers();
        pending.put(id, p);
        try {
            udp.send(new DatagramPacket(message, message.length, target));
        } catch (IOException e) {
            pending.remove(id);
            throw e;
        }
        schedule(p, clockNs.getAsLong(), t);
    }

    /** NOTIFYs awaiting their final answer. */
    int inFlight() {
        return pending.size();
    }

    /**
     * On the socket's receiving thread: true when the datagram is an answer to one of these NOTIFYs (taken, or
     * dropped when its transaction is over); false for anything else, which goes on to the stack. Reads only
     * the first bytes of a request.
     */
    boolean consumedResponse(byte[] data, int offset, int length) {
        if (length < 12 || !Arrays.equals(data, offset, offset + STATUS_LINE.length, STATUS_LINE, 0,
                STATUS_LINE.length)) {
            return false;
        }
        int at = indexOf(data, offset, length, branchMark);
        if (at < 0) {
            return false;
        }
        long id = 0;
        int digits = 0;
        for (int i = at + branchMark.length; i < offset + length && digits < 16; i++, digits++) {
            int d = Character.digit(data[i], 16);
            if (d < 0) {
                break;
            }
            id = (id << 4) | d;
        }
        int status = statusCode(data, offset);
        Pending p = digits == 0 || status < 0 ? null : pending.get(id);
        if (p == null) {
            return true; // a retransmitted answer, or one to a NOTIFY over already: as the stack would, drop it
        }
        if (status < 200) {
            p.proceeding = true;
            return true;
        }
        finish(p, status, status + " " + reason(data, offset, length));
        return true;
    }

    /** Stops the timers; NOTIFYs in flight are forgotten without an outcome (their notifiers are closed too). */
    @Override
    public synchronized void close() {
        closed = true;
        if (timers != null) {
            timers.shutdownNow();
        }
        pending.clear();
    }

    private void finish(Pending p, int status, String outcome) {
        if (!pending.remove(p.id, p)) {
            return;
        }
        ScheduledFuture<?> timer = p.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        try {
            p.done.completed(status, outcome);
        } catch (RuntimeException e) {
            LOG.error("mwi: the outcome of NOTIFY {} to {} was not taken: {}", p.id, p.target, e.toString(), e);
        }
    }

    private void send(Pending p) {
        DatagramSocket udp = socket;
        try {
            udp.send(new DatagramPacket(p.message, p.message.length, p.target));
        } catch (IOException e) {
            LOG.debug("mwi: cannot retransmit NOTIFY {} to {}: {}", p.id, p.target, e.toString());
        }
    }

    private void schedule(Pending p, long nowNs) {
        ScheduledThreadPoolExecutor t = timers;
        if (t != null) {
            schedule(p, nowNs, t);
        }
    }

    private void schedule(Pending p, long nowNs, ScheduledThreadPoolExecutor t) {
        long delayNs = Math.min(TimeUnit.MILLISECONDS.toNanos(p.intervalMs), Math.max(0, p.timeoutAtNs - nowNs));
        try {
            p.timer = t.schedule(p, delayNs, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            pending.remove(p.id, p);
        }
        if (pending.get(p.id) != p && p.timer != null) {
            p.timer.cancel(false); // answered meanwhile
        }
    }

    private synchronized ScheduledThreadPoolExecutor timers() throws IOException {
        if (closed) {
            throw new IOException("the trunk is stopped");
        }
        if (timers == null) {
            timers = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "vmport-mwi-timers");
                th.setDaemon(true);
                return th;
            });
            timers.setRemoveOnCancelPolicy(true);
        }
        return timers;
    }

    private static int indexOf(byte[] data, int offset, int length, byte[] mark) {
        int last = offset + length - mark.length;
        for (int i = offset; i <= last; i++) {
            if (data[i] == mark[0] && Arrays.equals(data, i, i + mark.length, mark, 0, mark.length)) {
                return i;
            }
        }
        return -1;
    }

    /** The three digits after "SIP/2.0 ", or -1. */
    private static int statusCode(byte[] data, int offset) {
        int code = 0;
        for (int i = offset + STATUS_LINE.length; i < offset + STATUS_LINE.length + 3; i++) {
            if (data[i] < '0' || data[i] > '9') {
                return -1;
            }
            code = code * 10 + (data[i] - '0');
        }
        return code >= 100 && code < 700 ? code : -1;
    }

    private static String reason(byte[] data, int offset, int length) {
        int from = offset + STATUS_LINE.length + 4;
        int to = from;
        while (to < offset + length && data[to] != '\r' && data[to] != '\n') {
            to++;
        }
        return from >= to ? "" : new String(data, from, to - from, StandardCharsets.US_ASCII);
    }
}
