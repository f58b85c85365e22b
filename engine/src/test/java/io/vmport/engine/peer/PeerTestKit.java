package io.vmport.engine.peer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vmport.config.HostPort;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ServerStatus;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Helpers for the peer-link tests: ports, configurations, a recording listener, a scripted source, a raw peer. */
final class PeerTestKit {

    static final Duration WAIT = Duration.ofSeconds(10);

    private PeerTestKit() {
    }

    /** A port nobody listens on right now (bound, read, released). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Listens on 127.0.0.1:{@code port} without accepting: a dial from the link completes in the backlog. */
    static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port), 8);
        return s;
    }

    static HostPort loopback(int port) {
        return new HostPort("127.0.0.1", port);
    }

    static PeerLinkConfig config(ServerName self, int listenPort, int peerPort, long intervalMs, long localTimeoutMs,
                                 long remoteTimeoutMs, long actionTimeoutMs) {
        return new PeerLinkConfig(self, loopback(listenPort), loopback(peerPort), intervalMs, localTimeoutMs,
                remoteTimeoutMs, false, actionTimeoutMs);
    }

    /** Polls {@code condition} until it holds or {@code within} has passed. */
    static void await(String what, Duration within, Condition condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + within.toMillis() + " ms: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A condition that may throw (it may read link state on the link's thread). */
    interface Condition {
        boolean holds() throws Exception;
    }

    private static boolean holds(Condition c) {
        try {
            return c.holds();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static <T> T take(BlockingQueue<T> queue, Duration within, String what) {
        try {
            T t = queue.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(t, "not within " + within.toMillis() + " ms: " + what);
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether nothing arrives in {@code quiet} (a bounded wait on the queue, not a sleep). */
    static <T> T none(BlockingQueue<T> queue, Duration quiet) {
        try {
            return queue.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything the link reported, one queue per kind. */
    static final class RecordingListener implements PeerListener {
        final BlockingQueue<PeerHello> connected = new LinkedBlockingQueue<>();
        final BlockingQueue<PeerHeartbeat> heartbeats = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> heartbeatTimes = new LinkedBlockingQueue<>();
        final BlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
        final BlockingQueue<PeerAction> actions = new LinkedBlockingQueue<>();
        final BlockingQueue<PeerActionResult> results = new LinkedBlockingQueue<>();
        final BlockingQueue<PeerMailboxChanged> mailboxChanges = new LinkedBlockingQueue<>();

        @Override
        public void onConnected(PeerHello hello) {
            connected.add(hello);
        }

        @Override
        public void onHeartbeat(PeerHeartbeat heartbeat, long receivedAtNs) {
            heartbeats.add(heartbeat);
            heartbeatTimes.add(receivedAtNs);
        }

        @Override
        public void onDisconnected(String reason) {
            disconnected.add(reason);
        }

        @Override
        public void onAction(PeerAction action) {
            actions.add(action);
        }

        @Override
        public void onActionResult(PeerActionResult result) {
            results.add(result);
        }

        @Override
        public void onMailboxChanged(PeerMailboxChanged change) {
            mailboxChanges.add(change);
        }

        boolean silent() {
            return connected.isEmpty() && heartbeats.isEmpty() && disconnected.isEmpty() && actions.isEmpty()
                    && results.isEmpty() && mailboxChanges.isEmpty();
        }
    }

    /** Says a fixed status, and hands out queued deltas at most {@code maxDeltaBytes} at a time. */
    static final class TestSource implements HeartbeatSource {
        volatile ServerStatus status;
        volatile long epoch;
        volatile ServerName primaryHolder;
        volatile boolean takingCalls = true;
        volatile int callsInProgress;
        volatile ServerStatus receiverStatus;
        final ConcurrentLinkedQueue<PortDelta> deltas = new ConcurrentLinkedQueue<>();

        TestSource(ServerStatus status, long epoch) {
            this.status = status;
            this.epoch = epoch;
        }

        @Override
        public long epoch() {
            return epoch;
        }

        @Override
        public HeartbeatContent nextHeartbeat(int maxDeltaBytes) {
            List<PortDelta> batch = new ArrayList<>();
            int bytes = 0;
            PortDelta d;
            while ((d = deltas.peek()) != null && bytes + d.wireBytes() <= maxDeltaBytes
                    && batch.size() < HeartbeatContent.MAX_DELTAS) {
                batch.add(deltas.poll());
                bytes += d.wireBytes();
            }
            return new HeartbeatContent(status, epoch, primaryHolder, takingCalls, callsInProgress, receiverStatus,
                    batch);
        }
    }

    /** A clock the test steps. */
    static final class SteppedClock implements LongSupplier {
        final AtomicLong nowNs = new AtomicLong(1_000_000_000L);

        @Override
        public long getAsLong() {
            return nowNs.get();
        }

        void advanceMs(long ms) {
            nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
        }
    }

    /** A peer played over a plain socket: writes frames or raw bytes, reads frames, reads until the link closes. */
    static final class RawPeer implements AutoCloseable {
        final Socket socket;
        /** Cuts what the link writes into frames, as the link does. */
        private final EmbeddedChannel frames = new EmbeddedChannel(new PeerFrameDecoder());

        /** Dials the link's listen port. */
        RawPeer(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout((int) WAIT.toMillis());
        }

        /** Takes the link's dial, which {@code listener} (bound where the link dials) has accepted or will. */
        RawPeer(ServerSocket listener) throws IOException {
            listener.setSoTimeout((int) WAIT.toMillis());
            socket = listener.accept();
            socket.setSoTimeout((int) WAIT.toMillis());
        }

        /** The next frame of type {@code type} the link writes, skipping others (HELLO, heartbeats); fails if none. */
        <T extends PeerMessage> T receive(Class<T> type) throws IOException {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                PeerMessage m;
                while ((m = frames.readInbound()) != null) {
                    if (type.isInstance(m)) {
                        return type.cast(m);
                    }
                }
                int n;
                try {
                    if (System.nanoTime() - deadline > 0) {
                        throw new java.net.SocketTimeoutException(); // heartbeats only
                    }
                    n = in.read(buf);
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("no " + type.getSimpleName() + " from the link within "
                            + WAIT.toMillis() + " ms");
                }
                if (n < 0) {
                    throw new AssertionError("the link closed the connection before a " + type.getSimpleName());
                }
                frames.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
            }
        }

        void send(PeerMessage... messages) throws IOException {
            ByteBuf buf = Unpooled.buffer();
            try {
                for (PeerMessage m : messages) {
                    PeerFrameEncoder.write(m, buf);
                }
                sendRaw(ByteBufBytes.of(buf));
            } finally {
                buf.release();
            }
        }

        void sendRaw(byte[] bytes) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        /** Reads (and drops) whatever the link writes until it closes the connection; fails if it does not. */
        void awaitClosedByLink() throws IOException {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // HELLO, BYE: not looked at
                }
            } catch (java.net.SocketTimeoutException e) {
                fail("the link did not close the connection within " + WAIT.toMillis() + " ms");
            } catch (java.net.SocketException e) {
                // reset: closed as well
            }
        }

        @Override
        public void close() throws IOException {
            frames.finishAndReleaseAll();
            socket.close();
        }
    }

    static final class ByteBufBytes {
        private ByteBufBytes() {
        }

        static byte[] of(ByteBuf buf) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        }
    }

    /** Collects the log events of one logger while open. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger;
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture(Class<?> of) {
            logger = (Logger) LoggerFactory.getLogger(of);
            appender.start();
            logger.addAppender(appender);
        }

        /** The WARN-or-worse messages so far. */
        List<String> warnings() {
            List<ILoggingEvent> events;
            synchronized (appender) { // AppenderBase.doAppend holds this lock
                events = new ArrayList<>(appender.list);
            }
            List<String> out = new ArrayList<>();
            for (ILoggingEvent e : events) {
                if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                    out.add(e.getFormattedMessage());
                }
            }
            return out;
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            appender.stop();
        }
    }

    /** A delta for tests: a call {@code callId} in {@code state} on {@code port}. */
    static PortDelta delta(int port, io.vmport.engine.ports.PortState state, String callId) {
        return new PortDelta(port, state, callId, "1001", "2000", null,
                io.vmport.engine.calls.CallReason.DIRECT, 1234);
    }
}
