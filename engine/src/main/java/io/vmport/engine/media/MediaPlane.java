package io.vmport.engine.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's media plane (SPEC MD-1, MD-2): the RTP port range, a few Netty UDP event loops, one 20 ms
 * {@link Pacer} per loop. Each {@link #open} binds one UDP socket on a free even port of the range and hands it, as a
 * {@link NioDatagramChannel}, to the next loop (round robin). Thread-safe; {@link #open} makes the bind system call
 * on the caller's thread and never waits for a loop; still, call it from a call-handling thread, not from one of the
 * plane's own loops (a {@link MediaListener} callback).
 */
public final class MediaPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaPlane.class);

    private final MediaSettings settings;
    private final InetAddress address;
    private final ProtocolFamily family;
    private final NioEventLoopGroup group;
    private final List<Pacer> pacers = new ArrayList<>();
    private final AtomicInteger nextPacer = new AtomicInteger();
    private final PortPool pool;
    private final MediaCounters counters = new MediaCounters();
    private final Set<MediaSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MediaPlane(MediaSettings settings, InetAddress address, NioEventLoopGroup group) {
        this.settings = settings;
        this.address = address;
        this.family = address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        this.group = group;
        this.pool = new PortPool(settings.firstPort(), settings.lastPort());
        for (EventExecutor executor : group) {
            pacers.add(new Pacer((EventLoop) executor, counters));
        }
    }

    /**
     * Starts the event loops and their pacers after checking that UDP binds on {@code settings.host()}.
     *
     * @throws MediaException naming the host, the range and the cause when it cannot
     */
    public static MediaPlane start(MediaSettings settings) {
        InetAddress address;
        try {
            address = InetAddress.getByName(settings.host());
        } catch (UnknownHostException e) {
            throw new MediaException("media host '" + settings.host() + "' (RTP ports " + range(settings)
                    + ") does not resolve: " + e.getMessage(), e);
        }
        NioEventLoopGroup group = new NioEventLoopGroup(settings.eventLoops(), new DefaultThreadFactory("media"));
        MediaPlane plane = new MediaPlane(settings, address, group);
        ChannelFuture probe = plane.bootstrap(group.next(), new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(address, 0)).awaitUninterruptibly();
        if (!probe.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new MediaException("media host " + settings.host() + " (RTP ports " + range(settings)
                    + ") cannot bind UDP: " + probe.cause(), probe.cause());
        }
        probe.channel().close().awaitUninterruptibly();
        plane.pacers.forEach(Pacer::start);
        LOG.info("media plane on {} ports {} ({} sessions), {} event loops, media timeout {} ms", settings.host(),
                range(settings), settings.sessionCapacity(), settings.eventLoops(), settings.mediaTimeoutMs());
        return plane;
    }

    private static String range(MediaSettings s) {
        return s.firstPort() + "-" + s.lastPort();
    }

    private Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
        return new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(handler);
    }

    /**
     * A session bound on a free even port of the range. A port that something else holds is skipped (and counted)
     * without failing the call. The bind is a system call made here, on the caller's thread; the socket joins its
     * event loop without waiting for it, so a call's setup never queues behind the loop's pacing work (the call
     * thread stays free for the next call while the loop is busy sending frames).
     *
     * @throws MediaException when no port of the range is free or bindable, naming the range
     */
    public MediaSession open(String callId, MediaListener listener) {
        if (closed) {
            throw new MediaException("media plane on " + settings.host() + " is closed; cannot open " + callId);
        }
        Pacer pacer = pacers.get(Math.floorMod(nextPacer.getAndIncrement(), pacers.size()));
        int attempts = pool.capacity();
        StringBuilder failures = null;
        IOException firstFailure = null;
        for (int i = 0; i < attempts; i++) {
            int port = pool.take();
            if (port < 0) {
                break;
            }
            DatagramChannel socket = null;
            try {
                socket = DatagramChannel.open(family);
                socket.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                closeQuietly(socket);
                counters.portBindFailures.increment();
                pool.release(port);
                if (failures == null) {
                    failures = new StringBuilder();
                    firstFailure = e;
                    LOG.warn("RTP port {}:{} is held by something else ({}); skipped", settings.host(), port,
                            e.toString());
                }
                failures.append(' ').append(port);
                continue;
            }
            MediaSession session = new MediaSession(callId, settings.host(), listener, pacer, counters,
                    settings.mediaTimeoutMs(), this::released);
            NioDatagramChannel channel = new NioDatagramChannel(socket);
            channel.config().setAutoRead(false);
            channel.pipeline().addLast(session.rxHandler());
            session.attach(channel, socket, port); // before the registration, which starts the session on the loop
            pacer.loop().register(channel).addListener(f -> {
                if (!f.isSuccess()) {
                    LOG.warn("RTP socket {}:{} of {} did not join its event loop: {}", settings.host(), port, callId,
                            f.cause().toString());
                }
            });
            sessions.add(session);
            counters.sessionsOpen.increment();
            return session;
        }
        throw new MediaException("no free RTP port in " + settings.host() + ":" + range(settings) + " for " + callId
                + " (" + settings.sessionCapacity() + " ports, " + sessions.size() + " sessions open"
                + (failures == null ? "" : ", could not bind" + failures + ": " + firstFailure) + ")");
    }

    private static void closeQuietly(DatagramChannel socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing an unbound RTP socket: {}", e.toString());
            }
        }
    }

    private void released(MediaSession session) {
        if (sessions.remove(session)) {
            counters.sessionsOpen.decrement();
        }
        pool.release(session.localPort());
    }

    /** The plane's counters, for {@code /metrics}. */
    public MediaCounters counters() {
        return counters;
    }

    /** The settings it runs with. */
    public MediaSettings settings() {
        return settings;
    }

    /** Closes every session (reporting recordings in progress) and stops the loops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MediaSession s : List.copyOf(sessions)) {
            s.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
