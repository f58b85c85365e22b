package io.vmport.engine.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.vmport.config.AdminConfig;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's admin HTTP API (SPEC PM-4, DESIGN.md section 4): HTTP/1.1 with keep-alive on one small Netty event
 * loop group, bodies of at most {@value #MAX_BODY_BYTES} bytes (the largest is a greeting: 120 s of 8 kHz 16-bit
 * PCM is 1.92 MB, and room is left so that a wrong file, 16 kHz stereo say, gets its reason), a bearer token (or the
 * web console's session cookie, {@link AdminAuth}) on every {@code /api} request. Also serves the web console
 * (issue 15): its files at {@code /} and {@code /console/}, its sign-in at {@code /api/session} and its live
 * {@link ConsoleEvents event stream}. Listens where it is told: loopback unless configured otherwise.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Port 0 binds a free port; {@link #port()} says which.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** How long an action may take in the pipeline before the answer is 503. */
    public static final long DEFAULT_ACTION_TIMEOUT_MS = 10_000;
    private static final int EVENT_LOOP_THREADS = 1;

    private final String host;
    private final int requestedPort;
    private final AdminRoutes routes;
    private final AdminAuth auth;
    private final ConsoleEvents events;
    private final VmportMetrics metrics;
    private final ExecutorService blocking;
    private final ExecutorService actions;
    private EventLoopGroup group;
    private Channel channel;

    /** A server for {@code config} (host, port, token) over {@code backend}. */
    public AdminServer(AdminConfig config, AdminBackend backend) {
        this(config.host(), config.port(), config.token(), backend, DEFAULT_ACTION_TIMEOUT_MS);
    }

    /**
     * @param host            where to listen
     * @param port            the TCP port, 0 for a free one
     * @param token           the bearer token requests must carry
     * @param backend         the node
     * @param actionTimeoutMs how long to wait for an action's answer before 503
     */
    public AdminServer(String host, int port, String token, AdminBackend backend, long actionTimeoutMs) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("admin port must be 0..65535, was " + port);
        }
        if (actionTimeoutMs <= 0) {
            throw new IllegalArgumentException("actionTimeoutMs must be > 0, was " + actionTimeoutMs);
        }
        this.requestedPort = port;
        Objects.requireNonNull(backend, "backend");
        AtomicInteger n = new AtomicInteger();
        this.blocking = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "admin-query-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.actions = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "admin-action");
            t.setDaemon(true);
            return t;
        });
        this.metrics = new VmportMetrics(backend);
        this.events = new ConsoleEvents(backend, blocking);
        this.auth = new AdminAuth(new BearerAuth(token), new ConsoleSessions(token, System::currentTimeMillis,
                events::sessionEnded));
        this.routes = new AdminRoutes(backend, auth, metrics, blocking, actions, actionTimeoutMs);
        io.micrometer.core.instrument.Gauge.builder("vmport.console.streams", events, ConsoleEvents::streamCount)
                .description("web console event streams open").register(metrics.registry());
        io.micrometer.core.instrument.FunctionCounter.builder("vmport.console.streams.dropped", events,
                ConsoleEvents::dropped).description("console event streams closed for reading too slowly")
                .register(metrics.registry());
    }

    /** The registry behind {@code /metrics}, for meters the node adds (MWI). */
    public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** The metrics {@code /metrics} serves; a node adds its own meters to their registry (media). */
    public VmportMetrics metrics() {
        return metrics;
    }

    /** Binds and starts serving; fails with the address when it cannot bind. */
    public synchronized AdminServer start() {
        if (group != null) {
            throw new IllegalStateException("admin server already started on " + host + ":" + port());
        }
        group = new NioEventLoopGroup(EVENT_LOOP_THREADS, r -> {
            Thread t = new Thread(r, "admin-http");
            t.setDaemon(true);
            return t;
        });
        events.bind(group.next());
        AdminHttpHandler handler = new AdminHttpHandler(routes, auth, events);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_BODY_BYTES), handler);
                    }
                });
        try {
            channel = b.bind(host, requestedPort).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            group = null;
            throw new IllegalStateException("admin API cannot listen on " + host + ":" + requestedPort + ": " + e, e);
        }
        LOG.info("admin API listens on http://{}:{}", host, port());
        return this;
    }

    /** The bound port (after {@link #start()}), or the requested one. */
    public int port() {
        return channel == null ? requestedPort : ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        events.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
        actions.shutdownNow();
        group = null;
        LOG.info("admin API on {}:{} stopped", host, port());
    }
}
