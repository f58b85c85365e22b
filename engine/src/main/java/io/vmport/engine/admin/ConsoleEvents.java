package io.vmport.engine.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.vmport.config.db.AlarmRow;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's event stream, {@code GET /api/events} (issue 15): Server-Sent Events to every connected page.
 *
 * <pre>
 * retry: 2000                                    once, first: the browser reconnects 2 s after a loss
 * event: cluster    data: {GET /api/cluster}     on connect, then whenever it changes (asOf aside)
 * event: ports      data: {"ports":[...]}        on connect every port of this node's view (both servers), then
 *                                                the ports that changed, at most one event per {@value #BATCH_MS} ms
 * event: alarm      data: {"time","server","name","detail","id"}   each new alarm of either server
 * : keepalive                                    every {@value #KEEPALIVE_MS} ms
 * </pre>
 *
 * <p><b>Cost.</b> One source of changes for the whole node, however many pages watch: every {@value #BATCH_MS} ms
 * the event loop compares the monitor's latest snapshot with the one it last sent (only the pages the snapshot did
 * not share with it, see {@link MonitorSnapshot#forEachChangedPort}) and the cluster view with the last one, writes
 * each event once, and hands the same bytes to every stream. Nothing runs while no page is connected. Alarms live in
 * the database both servers share, so they are read every {@value #ALARM_POLL_MS} ms (newest
 * {@value #ALARM_WINDOW}), off the event loop, only while a page is connected.
 *
 * <p><b>Slow pages.</b> A stream may hold at most {@value #MAX_PENDING_BYTES} bytes beyond its first events in
 * Netty's outbound buffer; a stream still over that at the next event is closed (its page reconnects and starts
 * again from the full list) rather than buffered without bound.
 *
 * <p>All state is the event loop's: every method but {@link #bind}, {@link #streamCount} and {@link #dropped} runs
 * there.
 */
final class ConsoleEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleEvents.class);
    static final String PATH = "/api/events";
    static final long BATCH_MS = 100;
    static final long KEEPALIVE_MS = 15_000;
    static final long ALARM_POLL_MS = 2_000;
    static final int ALARM_WINDOW = 50;
    static final int RETRY_MS = 2_000;
    static final int MAX_PENDING_BYTES = 4 * 1024 * 1024;
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);
    /** Marks a channel that carries a stream: a request arriving on it after is not answered into the stream. */
    private static final AttributeKey<Boolean> STREAM = AttributeKey.valueOf("vmport.console.stream");
    private static final byte[] RETRY = ("retry: " + RETRY_MS + "\n\n").getBytes(StandardCharsets.UTF_8);

    private final AdminBackend backend;
    private final JsonViews views;
    private final Executor blocking;
    /** Each stream and the console session it was opened with (null: opened with the bearer token). */
    private final Map<Channel, String> streams = new LinkedHashMap<>();
    private volatile int streamCount;
    private final AtomicLong dropped = new AtomicLong();
    private volatile EventLoop loop;

    private final List<ScheduledFuture<?>> timers = new ArrayList<>(3);
    /** Which start of the sources an alarm read belongs to: a read begun before a stop is ignored. */
    private long generation;
    private MonitorSnapshot lastSnapshot;
    private byte[] fullPortsFrame;
    private ClusterView lastView;
    private Map<String, Object> lastCluster;
    private byte[] clusterFrame;
    /** The ids of the last alarm read; null until the first read since the start. */
    private Set<String> knownAlarms;
    private boolean readingAlarms;

    ConsoleEvents(AdminBackend backend, Executor blocking) {
        this.backend = backend;
        this.views = new JsonViews(backend);
        this.blocking = blocking;
    }

    /** The event loop that runs the streams; set once the server starts. */
    void bind(EventLoop eventLoop) {
        this.loop = eventLoop;
    }

    /** Streams open now (any thread). */
    int streamCount() {
        return streamCount;
    }

    /** Streams closed for not reading fast enough, since the start (any thread). */
    long dropped() {
        return dropped.get();
    }

    /** Turns {@code channel}'s request into an event stream; {@code session} is the console session or null. */
    void open(Channel channel, String session) {
        onLoop(() -> join(channel, session));
    }

    /** Whether {@code channel} carries a stream (any thread). */
    static boolean isStream(Channel channel) {
        return channel.hasAttr(STREAM);
    }

    /** Closes the streams opened with {@code session} (the page signed out). */
    void sessionEnded(String session) {
        onLoop(() -> {
            for (Map.Entry<Channel, String> s : new ArrayList<>(streams.entrySet())) {
                if (session.equals(s.getValue())) {
                    s.getKey().close();
                }
            }
        });
    }

    /** Closes every stream (the server stops). */
    void close() {
        onLoop(() -> new ArrayList<>(streams.keySet()).forEach(Channel::close));
    }

    private void onLoop(Runnable r) {
        EventLoop l = loop;
        if (l == null) {
            throw new IllegalStateException("the console's event stream runs once the admin server has started");
        }
        if (l.inEventLoop()) {
            r.run();
        } else {
            l.execute(r);
        }
    }

    private void join(Channel channel, String session) {
        if (!channel.isActive()) {
            return;
        }
        if (streams.isEmpty()) {
            startSources();
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set("X-Accel-Buffering", "no");
        byte[] ports = fullPortsFrame();
        int first = RETRY.length + clusterFrame.length + ports.length;
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark((MAX_PENDING_BYTES + first) / 2,
                MAX_PENDING_BYTES + first));
        channel.write(head);
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(RETRY, clusterFrame, ports)));
        streams.put(channel, session);
        channel.attr(STREAM).set(Boolean.TRUE);
        streamCount = streams.size();
        // never at once: a stream closed while an event is handed out leaves after the hand-out
        channel.closeFuture().addListener((ChannelFutureListener) f -> loop.execute(() -> leave(channel)));
        LOG.debug("console event stream to {} opened; {} open", channel.remoteAddress(), streamCount);
    }

    private void leave(Channel channel) {
        if (!streams.containsKey(channel)) {
            return;
        }
        streams.remove(channel); // its value may be null (a stream opened with the token)
        streamCount = streams.size();
        if (streams.isEmpty()) {
            stopSources();
        }
    }

    private void startSources() {
        generation++;
        lastSnapshot = backend.monitorSnapshot();
        fullPortsFrame = null;
        lastView = null;
        lastCluster = null;
        cluster(lastSnapshot);
        knownAlarms = null;
        every(BATCH_MS, BATCH_MS, "batch", this::batch);
        every(KEEPALIVE_MS, KEEPALIVE_MS, "keepalive", () -> broadcast(KEEPALIVE));
        every(0, ALARM_POLL_MS, "alarm read", this::readAlarms);
    }

    /** Runs {@code task} every {@code periodMs}; a failure is logged and the next turn runs (a timer would stop). */
    private void every(long firstMs, long periodMs, String what, Runnable task) {
        timers.add(loop.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("console event stream: {} failed", what, e);
            }
        }, firstMs, periodMs, TimeUnit.MILLISECONDS));
    }

    private void stopSources() {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        generation++;
        lastSnapshot = null;
        fullPortsFrame = null;
        lastView = null;
        lastCluster = null;
        clusterFrame = null;
        knownAlarms = null;
        readingAlarms = false;
    }

    /** The ports and the cluster, if they changed since the last batch. */
    private void batch() {
        MonitorSnapshot snapshot = backend.monitorSnapshot();
        if (snapshot != lastSnapshot) {
            MonitorSnapshot before = lastSnapshot;
            List<Object> changed = new ArrayList<>();
            snapshot.forEachChangedPort(before, p -> changed.add(views.port(snapshot, p)));
            lastSnapshot = snapshot;
            fullPortsFrame = null;
            if (!changed.isEmpty()) {
                broadcast(frame("ports", Map.of("ports", changed)));
            }
            cluster(snapshot);
        } else if (backend.clusterView() != lastView) {
            cluster(snapshot);
        }
    }

    /** Sends the cluster when it differs from the last one sent in more than its time stamp. */
    private void cluster(MonitorSnapshot snapshot) {
        ClusterView view = backend.clusterView();
        lastView = view;
        Map<String, Object> cluster = views.cluster(view, snapshot);
        Map<String, Object> compared = new LinkedHashMap<>(cluster);
        compared.remove("asOf");
        if (compared.equals(lastCluster)) {
            return;
        }
        boolean first = lastCluster == null;
        lastCluster = compared;
        clusterFrame = frame("cluster", cluster);
        if (!first) {
            broadcast(clusterFrame);
        }
    }

    /** Every port of the last snapshot sent, written once per snapshot however many pages connect. */
    private byte[] fullPortsFrame() {
        if (fullPortsFrame == null) {
            fullPortsFrame = frame("ports", views.ports(null, lastSnapshot));
        }
        return fullPortsFrame;
    }

    private void readAlarms() {
        if (readingAlarms) {
            return;
        }
        readingAlarms = true;
        long started = generation;
        CompletableFuture.supplyAsync(() -> backend.alarms(ALARM_WINDOW), blocking)
                .whenComplete((rows, failure) -> onLoop(() -> alarmsRead(started, rows, failure)));
    }

    private void alarmsRead(long started, List<AlarmRow> rows, Throwable failure) {
        if (started != generation) {
            return;
        }
        readingAlarms = false;
        if (failure != null) {
            LOG.debug("console event stream: alarms not read: {}", failure.toString());
            return;
        }
        Set<String> ids = new HashSet<>();
        for (AlarmRow a : rows) {
            ids.add(a.id());
        }
        if (knownAlarms != null) {
            for (int i = rows.size() - 1; i >= 0; i--) { // newest first: send the oldest new one first
                if (!knownAlarms.contains(rows.get(i).id())) {
                    broadcast(frame("alarm", JsonViews.alarm(rows.get(i))));
                }
            }
        }
        knownAlarms = ids;
    }

    /** Hands the same bytes to every stream; closes the streams that are too far behind to take them. */
    private void broadcast(byte[] frame) {
        if (streams.isEmpty()) {
            return;
        }
        ByteBuf bytes = Unpooled.wrappedBuffer(frame);
        List<Channel> slow = null;
        try {
            for (Channel c : streams.keySet()) {
                if (c.isWritable()) {
                    c.writeAndFlush(new DefaultHttpContent(bytes.retainedDuplicate()));
                } else {
                    slow = slow == null ? new ArrayList<>(1) : slow;
                    slow.add(c);
                }
            }
        } finally {
            bytes.release();
        }
        if (slow != null) { // closed after the loop over the streams, which closing may change
            for (Channel c : slow) {
                dropped.incrementAndGet();
                LOG.info("console event stream to {} closed: more than {} bytes unread", c.remoteAddress(),
                        MAX_PENDING_BYTES);
                c.close();
            }
        }
    }

    /** {@code event: NAME\ndata: JSON\n\n}: the JSON is written on one line, so one data line carries it. */
    static byte[] frame(String event, Object data) {
        byte[] head = ("event: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8);
        byte[] json = JsonViews.bytes(data);
        byte[] frame = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(json, 0, frame, head.length, json.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }
}
