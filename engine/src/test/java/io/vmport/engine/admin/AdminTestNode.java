package io.vmport.engine.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.vmport.config.ClusterSettings;
import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.CallRecordRow;
import io.vmport.engine.cluster.Alarm;
import io.vmport.engine.cluster.AlarmSink;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.messages.Mailboxes;
import io.vmport.engine.node.CallCounters;
import io.vmport.engine.pipeline.CallRecord;
import io.vmport.engine.pipeline.CallRecordBatch;
import io.vmport.engine.pipeline.CallReply;
import io.vmport.engine.pipeline.JournalSink;
import io.vmport.engine.pipeline.NanoClock;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.pipeline.PipelineSettings;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortTable;
import io.vmport.engine.routing.RefuseCause;
import io.vmport.engine.routing.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A node for admin tests: the domain's router on a SIP trunk, working normally (publisher PRIMARY, subscriber
 * SECONDARY, ST-1), inside a real started {@link Pipeline}, behind a real {@link AdminServer} on a free loopback
 * port. Alarms and call records are kept in memory, as the database would return them. Time is a clock the
 * test steps; state is awaited by polling with a deadline, never by sleeping.
 */
public final class AdminTestNode implements AutoCloseable {
    public static final String TOKEN = "t0ken-for-tests";

    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final NanoClock clock = nowNs::get;
    /** Each alarm with the id it got when raised, as the database keeps it (the console's stream tells by id). */
    private final ConcurrentLinkedDeque<Raised> alarms = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<CallRecordRow> calls = new ConcurrentLinkedDeque<>();
    /** Counted beside the journal, as a node counts in its database journal sink. */
    private final CallCounters counters = new CallCounters();
    private final PortPlan plan;
    private final Pipeline pipeline;
    private final PipelineAdminBackend backend;
    private final AdminServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    /** While set, the reply stage waits on it: the pipeline is stuck for as long as a test wants. */
    private volatile CountDownLatch replyGate;

    /** A started node with {@code portsPerServer} SIP-trunk ports on each server. */
    public static AdminTestNode start(int portsPerServer) {
        return new AdminTestNode(Integration.SIP_TRUNK, 2 * portsPerServer, AdminServer.DEFAULT_ACTION_TIMEOUT_MS);
    }

    /** As {@link #start(int)}, with mailboxes and messages read by {@code messages} (MS-3). */
    public static AdminTestNode start(int portsPerServer, MessageQueries messages) {
        return new AdminTestNode(Integration.SIP_TRUNK, 2 * portsPerServer, AdminServer.DEFAULT_ACTION_TIMEOUT_MS,
                messages);
    }

    /** As {@link #start(int, MessageQueries)}, with mailboxes and messages changed by {@code mailboxes} (MS-3). */
    public static AdminTestNode start(int portsPerServer, MessageQueries messages, Mailboxes mailboxes,
                                      LongSupplier messagesStored) {
        return new AdminTestNode(Integration.SIP_TRUNK, 2 * portsPerServer, AdminServer.DEFAULT_ACTION_TIMEOUT_MS,
                messages, mailboxes, messagesStored);
    }

    /** A started node for {@code integration} with N = {@code n} (PIMG: n shared gateway ports). */
    public static AdminTestNode start(Integration integration, int n) {
        return new AdminTestNode(integration, n, AdminServer.DEFAULT_ACTION_TIMEOUT_MS);
    }

    /** As {@link #start(int)}, with actions answered 503 after {@code actionTimeoutMs}. */
    public static AdminTestNode start(int portsPerServer, long actionTimeoutMs) {
        return new AdminTestNode(Integration.SIP_TRUNK, 2 * portsPerServer, actionTimeoutMs);
    }

    private AdminTestNode(Integration integration, int n, long actionTimeoutMs) {
        this(integration, n, actionTimeoutMs, MessageQueries.NONE);
    }

    private AdminTestNode(Integration integration, int n, long actionTimeoutMs, MessageQueries messages) {
        this(integration, n, actionTimeoutMs, messages, null, () -> 0);
    }

    private AdminTestNode(Integration integration, int n, long actionTimeoutMs, MessageQueries messages,
                          Mailboxes mailboxes, LongSupplier messagesStored) {
        ClusterSettings settings = ClusterSettings.defaults();
        plan = PortPlan.of(integration, n);
        PortTable ports = new PortTable(plan, settings.huntOrder());
        AlarmSink sink = a -> alarms.addFirst(new Raised(a, java.util.UUID.randomUUID().toString()));
        Cluster cluster = new Cluster(ServerName.PUBLISHER, settings, ports, sink);
        cluster.onClusterStateRead(null, 0, null, ServerStatus.STARTING, nowNs.get());
        cluster.onPeerHeartbeat(ServerStatus.SECONDARY, null, cluster.epoch(), true, nowNs.get());
        while (cluster.pollEffect() != null) {
            // start-up effects (publish the status, start primary services) are the node's business
        }
        Router router = new Router(cluster, plan, ports, sink);
        pipeline = new Pipeline(PipelineSettings.defaults(plan.size()).withMonitorMinIntervalNs(0)
                .withTickIntervalNs(0).withThreadNamePrefix("admin-test"), router, this::record, clock);
        pipeline.start();
        backend = new PipelineAdminBackend(pipeline, plan, clock, () -> counters.counts(pipeline.monitorSnapshot()),
                this::newestAlarms, this::newestCalls,
                null, messages, mailboxes, messagesStored);
        server = new AdminServer("127.0.0.1", 0, TOKEN, backend, actionTimeoutMs).start();
    }

    private List<AlarmRow> newestAlarms(int limit) {
        List<AlarmRow> rows = new ArrayList<>();
        for (Raised r : alarms) {
            if (rows.size() == limit) {
                break;
            }
            Alarm a = r.alarm();
            rows.add(new AlarmRow(r.id(), backend.epochMs(a.timeNs()), a.server(), a.name().name(), a.detail()));
        }
        return rows;
    }

    private List<CallRecordRow> newestCalls(int limit) {
        List<CallRecordRow> rows = new ArrayList<>();
        for (CallRecordRow r : calls) {
            if (rows.size() == limit) {
                break;
            }
            rows.add(r);
        }
        return rows;
    }

    /** The journal sink: keeps each record as the database would store it. */
    private void record(CallRecordBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            CallRecord r = batch.get(i);
            counters.count(r);
            calls.addFirst(new CallRecordRow(r.callId(), r.server(), r.port() < 0 ? null : plan.port(r.port()).name(),
                    plan.integration(), r.caller(), r.called(), r.redirecting(), backend.epochMs(r.offeredNs()),
                    r.answeredNs() == CallRecord.NO_TIME ? null : backend.epochMs(r.answeredNs()),
                    r.endedNs() == CallRecord.NO_TIME ? null : backend.epochMs(r.endedNs()), r.outcome().name(),
                    r.cause() == null ? null : r.cause().name()));
        }
    }

    public String url() {
        return server.url();
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public AdminBackend backend() {
        return backend;
    }

    /** Steps the pipeline clock. */
    public void advanceMs(long ms) {
        nowNs.addAndGet(ms * 1_000_000L);
    }

    /** A connected call landed on {@code landedOn}; returns its port. */
    public int connectedCall(String callId, ServerName landedOn, String caller, CallReason reason) {
        return connectedCall(callId, landedOn, -1, caller, reason);
    }

    /** As above, on the port the phone system names ({@code portHint}: PIMG gateway port 1..N, or -1). */
    public int connectedCall(String callId, ServerName landedOn, int portHint, String caller, CallReason reason) {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        pipeline.producer().offer(landedOn, portHint, callId, caller, "5000", reason == CallReason.DIRECT ? null : "2001",
                reason, new Reply(callId, port));
        int p;
        try {
            p = port.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("call " + callId + " was not answered: " + e, e);
        }
        assertNotNull(p);
        pipeline.producer().answered(p, callId);
        return p;
    }

    /** The caller of the call on {@code port} hangs up. */
    public void end(int port, String callId) {
        pipeline.producer().ended(port, callId);
    }

    /** Until every event published so far has passed every stage. */
    public void drained() {
        await(() -> pipeline.completedSequence() >= pipeline.publishedSequence(), pipeline::describe);
    }

    /** Stops the reply stage on the next call's answer until {@link #openReplyGate()}: the pipeline stalls. */
    public void closeReplyGate() {
        replyGate = new CountDownLatch(1);
    }

    public void openReplyGate() {
        CountDownLatch gate = replyGate;
        replyGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Offers a call whose answer will hold the reply stage while the gate is closed. */
    public void offerIntoClosedGate(String callId) {
        pipeline.producer().offer(ServerName.PUBLISHER, -1, callId, "1001", "5000", null, CallReason.DIRECT,
                new Reply(callId, new CompletableFuture<>()));
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, TOKEN);
    }

    public HttpResponse<String> post(String path) {
        return send("POST", path, TOKEN);
    }

    public HttpResponse<String> send(String method, String path, String token) {
        return send(method, path, token, new byte[0]);
    }

    /** Sends {@code body} (none when empty) with {@code method}. */
    public HttpResponse<String> send(String method, String path, String token, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    /** Sends {@code request} as it is on a new connection; returns the status line of the answer. */
    public String raw(String request) {
        java.net.URI u = java.net.URI.create(url());
        try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
        } catch (java.io.IOException e) {
            throw new AssertionError("raw request failed: " + e, e);
        }
    }

    public static void assertStatus(int expected, HttpResponse<String> r) {
        assertEquals(expected, r.statusCode(), r.request().method() + " " + r.uri() + " answered " + r.body());
    }

    /** Polls until {@code condition} holds, at most 10 s. */
    public static void await(BooleanSupplier condition, Supplier<String> whatWeSaw) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("condition not met within 10 s: " + whatWeSaw.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public void close() {
        openReplyGate();
        server.close();
        pipeline.stop();
    }

    private record Raised(Alarm alarm, String id) {
    }

    /** The adapter's handle: hands the port to the test thread (never publishes from the reply thread). */
    private final class Reply implements CallReply {
        private final String callId;
        private final CompletableFuture<Integer> port;

        Reply(String callId, CompletableFuture<Integer> port) {
            this.callId = callId;
            this.port = port;
        }

        @Override
        public void answer(int portIndex) {
            CountDownLatch gate = replyGate;
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            port.complete(portIndex);
        }

        @Override
        public void redirect(ServerName to) {
            port.completeExceptionally(new AssertionError("redirected to " + to));
        }

        @Override
        public void refuse(RefuseCause cause) {
            port.completeExceptionally(new AssertionError("refused: " + cause));
        }

        @Override
        public void hangUp() {
            // as an adapter does: send BYE, then report the end, from its own thread
            port.thenAcceptAsync(p -> end(p, callId));
        }
    }
}
