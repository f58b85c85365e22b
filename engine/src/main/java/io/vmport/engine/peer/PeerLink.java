package io.vmport.engine.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The link between the two nodes of the cluster (SPEC ST-11; DESIGN 3): one TCP connection carrying HELLO,
 * heartbeats with status and port-state deltas, forwarded administrative actions and their answers (frames:
 * {@link PeerFrameDecoder}).
 *
 * <p>Both nodes listen and both dial; when two connections exist, both keep the one the publisher dialled (details
 * in {@link PeerSession}). A lost link is redialled with a backoff of 50 ms doubling to 2 s, +/-20% jitter, forever.
 * Everything runs on one Netty event-loop thread; {@link PeerListener} and {@link HeartbeatSource} are called there.
 *
 * <p><b>Silence rule (ST-11, ST-8).</b> The peer counts as silent, and the link is reported down and closed, when
 * nothing has arrived from it for {@code max(localHeartbeatTimeoutMs, R)}, where R is the remoteHeartbeatTimeoutMs
 * the peer sent in its HELLO. ST-11 defines the local timeout as how long this node waits for its peer and the
 * remote one as how long a node asks its peer to wait for it; honouring both means waiting for the longer. The
 * longer wait is the safe side: a false silence makes the SECONDARY take PRIMARY (ST-8) and shows the peer
 * NOT_FUNCTIONING, dropping its calls, while a closed connection is still reported at once. With the usual
 * cluster-wide settings both values are equal. Silence is checked every heartbeat interval on the link clock.
 *
 * <p>Counters ({@link #heartbeatsSent()} ...) may be read from any thread.
 */
public final class PeerLink {

    /** {@link #lastHeartbeatNs()} before any heartbeat. */
    public static final long NEVER = Long.MIN_VALUE;

    static final long BACKOFF_INITIAL_MS = 50;
    static final long BACKOFF_MAX_MS = 2_000;
    static final double BACKOFF_JITTER = 0.2;
    private static final long MAX_CONNECT_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

    private final PeerLinkConfig config;
    private final LongSupplier clock;
    private final PeerSession session;
    private final Backoff backoff;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private NioEventLoopGroup group;
    private EventLoop loop;
    private Bootstrap dialer;
    private Channel server;
    private ScheduledFuture<?> ticker;
    private volatile boolean running;

    // on the loop
    private Channel dialChannel;
    private boolean dialScheduled;
    private String lastDialFailure;
    private volatile long dialAttempts;

    /**
     * @param nanoClock the clock for arrival times and silence (System::nanoTime, or a stepped clock in tests)
     */
    public PeerLink(PeerLinkConfig config, PeerListener listener, HeartbeatSource source, LongSupplier nanoClock) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.backoff = new Backoff(BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, BACKOFF_JITTER,
                () -> ThreadLocalRandom.current().nextDouble());
        this.session = new PeerSession(config, listener, source, nanoClock, new SecureRandom().nextLong(),
                backoff::reset, this::scheduleDial);
    }

    /**
     * Binds the listen address, starts heartbeats and dials the peer. Returns once listening.
     *
     * @throws PeerLinkException when the listen address cannot be bound
     */
    public void start() {
        if (stopped.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("peer link of " + config.self().configName() + " started already"
                    + (stopped.get() ? " and stopped: make a new one" : ""));
        }
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("vmport-peer-" + config.self().configName(), true));
        loop = group.next();
        dialer = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(config.localHeartbeatTimeoutMs(), MAX_CONNECT_TIMEOUT_MS))
                .handler(pipeline(PeerHandler.Direction.DIALLED));
        ServerBootstrap acceptor = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(pipeline(PeerHandler.Direction.ACCEPTED));
        try {
            ChannelFuture bound = acceptor.bind(config.listen().toSocketAddress()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw new PeerLinkException("peer link of " + config.self().configName() + " cannot listen on "
                        + config.listen() + ": " + bound.cause().getMessage(), bound.cause());
            }
            server = bound.channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(STOP_TIMEOUT_MS);
            group = null; // nothing left for stop()
            loop = null;
            throw e instanceof PeerLinkException ? e : new PeerLinkException("peer link of "
                    + config.self().configName() + " cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        running = true;
        long intervalMs = config.heartbeatIntervalMs();
        ticker = loop.scheduleAtFixedRate(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info("peer link of {} listening on {}, dialling {} (heartbeat every {} ms, local timeout {} ms, "
                        + "remote timeout {} ms)", config.self().configName(), server.localAddress(), config.peer(),
                intervalMs, config.localHeartbeatTimeoutMs(), config.remoteHeartbeatTimeoutMs());
        loop.execute(this::dial);
    }

    /**
     * Says BYE to the peer, closes every connection and the listener, and stops the thread. Reports
     * {@link PeerListener#onDisconnected} when the link was up; fails actions awaiting an answer. Idempotent; not
     * from a listener callback.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true) || !started.get() || group == null) {
            return;
        }
        if (loop.inEventLoop()) {
            throw new IllegalStateException("stop() called on the peer link's own thread (from a listener?)");
        }
        running = false;
        try {
            List<ChannelFuture> closing = loop.submit(() -> {
                if (ticker != null) {
                    ticker.cancel(false);
                }
                if (server != null) {
                    server.close();
                }
                List<ChannelFuture> byes = session.stop("link stopped"); // BYE on every open connection
                if (dialChannel != null && !dialChannel.isActive()) {
                    dialChannel.close(); // still connecting: the session does not know it
                }
                return byes;
            }).get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MS);
            for (ChannelFuture f : closing) {
                f.awaitUninterruptibly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("peer link of {}: closing the connections failed: {}", config.self().configName(), e.toString());
        } finally {
            group.shutdownGracefully(0, STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS).awaitUninterruptibly(2 * STOP_TIMEOUT_MS);
            LOG.info("peer link of {} stopped", config.self().configName());
        }
    }

    /**
     * Forwards an administrative action to the other node (PM-3, a SECONDARY forwarding to the PRIMARY). The
     * future completes, on the link's thread, with the other node's answer; or fails with a
     * {@link java.util.concurrent.TimeoutException} after {@code actionTimeoutMs}, or with a
     * {@link PeerLinkException} when the link is down or goes down first. While the link moves from a duplicate
     * connection to the one both sides keep, the action waits for it (never lost with the duplicate).
     */
    public CompletableFuture<PeerActionResult> sendAction(AdminAction action, ServerName target, boolean force) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        CompletableFuture<PeerActionResult> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new PeerLinkException("cannot forward " + action.pathName()
                    + ": the peer link is not running"));
            return future;
        }
        onLoop(() -> session.sendAction(action, target, force, future, loop),
                () -> future.completeExceptionally(new PeerLinkException("the peer link stopped")));
        return future;
    }

    /**
     * Answers an action received through {@link PeerListener#onAction}, right after a heartbeat that carries this
     * node's state as {@link HeartbeatSource} gives it now (so the peer's view shows the action's result before
     * it reads the answer); dropped (and logged) when the link is down. {@link #sendAction} also sends a heartbeat
     * just before the action.
     */
    public void reply(PeerActionResult result) {
        Objects.requireNonNull(result, "result");
        onLoop(() -> session.reply(result), () -> LOG.warn("peer link stopped; answer to #{} dropped",
                result.requestId()));
    }

    /**
     * Tells the other node that mailbox {@code extension} changed here (MAILBOX_CHANGED, SPEC MW-1): its PRIMARY
     * reads the counts again and sends MWI. Returns at once; dropped (logged) when the link is down or the peer
     * predates the frame, since the PRIMARY's reconcile sends what differs anyway.
     *
     * @throws IllegalArgumentException when {@code extension} cannot travel (1 to 32 printable ASCII characters)
     */
    public void sendMailboxChanged(String extension) {
        PeerMailboxChanged change = new PeerMailboxChanged(extension);
        if (!running) {
            return;
        }
        onLoop(() -> session.sendMailboxChanged(change), () -> LOG.debug("peer link stopped; mailbox {} change not"
                + " told", extension));
    }

    /** Switches the heartbeat trace (ST-11): every heartbeat sent and received logged at INFO. */
    public void setHeartbeatTrace(boolean on) {
        session.trace(on);
    }

    /** Whether the peer is connected: its HELLO arrived and it has not been silent past the timeout (PM-2). */
    public boolean connected() {
        return session.up();
    }

    /** The link clock's reading when the last heartbeat arrived, or {@link #NEVER} (PM-2: last heartbeat). */
    public long lastHeartbeatNs() {
        return session.lastHeartbeatNs();
    }

    /** The silence timeout in force: max(local, what the connected peer asked for); the local one before. */
    public long silenceTimeoutMs() {
        return session.silenceTimeoutMs();
    }

    public long heartbeatsSent() {
        return session.heartbeatsSent();
    }

    public long heartbeatsReceived() {
        return session.heartbeatsReceived();
    }

    /** Times the link came up again after it had been up and went down. */
    public long reconnects() {
        return session.reconnects();
    }

    /** Connection attempts to the peer, successful or not. */
    public long dialAttempts() {
        return dialAttempts;
    }

    /** Frames refused: malformed, or not allowed where they came (these close their connection). */
    public long malformedFrames() {
        return session.malformedFrames();
    }

    /** The address the link is bound to, or null before start. */
    public InetSocketAddress listenAddress() {
        Channel s = server;
        return s == null ? null : (InetSocketAddress) s.localAddress();
    }

    public PeerLinkConfig config() {
        return config;
    }

    // ================================================================ internals

    private ChannelInitializer<SocketChannel> pipeline(PeerHandler.Direction direction) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast("frames", new PeerFrameDecoder())
                        .addLast("encoder", PeerFrameEncoder.INSTANCE)
                        .addLast("peer", new PeerHandler(session, direction));
            }
        };
    }

    private void tick() {
        try {
            session.tick(clock.getAsLong());
        } catch (RuntimeException e) {
            LOG.error("peer link: the heartbeat tick failed; the next one runs as usual", e);
        }
    }

    /** Dials after the next backoff delay unless the link is up or a dial is already on its way. On the loop. */
    private void scheduleDial() {
        if (!running || session.up() || dialScheduled || dialChannel != null) {
            return;
        }
        dialScheduled = true;
        loop.schedule(() -> {
            dialScheduled = false;
            dial();
        }, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
    }

    private void dial() {
        if (!running || session.up() || dialChannel != null) {
            return;
        }
        dialAttempts++;
        connect(true);
    }

    /** Connects to the peer; {@code tracked}: as the one dial in flight, redialled when it closes. */
    private void connect(boolean tracked) {
        ChannelFuture connecting;
        try {
            connecting = dialer.connect(config.peer().toSocketAddress());
        } catch (RuntimeException e) {
            dialFailed(e);
            if (tracked) {
                scheduleDial();
            }
            return;
        }
        Channel ch = connecting.channel();
        if (!tracked) {
            return;
        }
        dialChannel = ch;
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                lastDialFailure = null;
            } else {
                dialFailed(f.cause());
                ch.close();
            }
        });
        ch.closeFuture().addListener(f -> {
            if (dialChannel == ch) {
                dialChannel = null;
            }
            scheduleDial();
        });
    }

    private void dialFailed(Throwable cause) {
        String what = cause == null ? "unknown error"
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (!what.equals(lastDialFailure)) {
            LOG.info("peer link of {}: cannot reach {} at {}: {}; retrying with backoff up to {} ms",
                    config.self().configName(), config.self().other().configName(), config.peer(), what,
                    BACKOFF_MAX_MS);
        } else {
            LOG.debug("peer link: still cannot reach {}: {}", config.peer(), what);
        }
        lastDialFailure = what;
    }

    private void onLoop(Runnable task, Runnable ifStopped) {
        EventLoop l = loop;
        if (l == null || l.isShuttingDown()) {
            ifStopped.run();
            return;
        }
        try {
            l.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ifStopped.run();
        }
    }

    // for tests: state read on the loop, a dial on demand

    /** Dials once more even though the link may be up: a duplicate connection. */
    void dialAgainForTest() {
        loop.execute(() -> connect(false));
    }

    long duplicatesClosed() {
        return session.duplicatesClosed();
    }

    int openConnectionsOnLoop() throws Exception {
        return loop.submit(session::openConnections).get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    PeerHandler.Direction activeDirectionOnLoop() throws Exception {
        return loop.submit(session::activeDirection).get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
}
