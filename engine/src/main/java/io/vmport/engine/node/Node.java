package io.vmport.engine.node;

import io.vmport.config.ClusterBootstrap;
import io.vmport.config.Integration;
import io.vmport.config.NodeConfig;
import io.vmport.config.ServerName;
import io.vmport.config.db.ClusterRow;
import io.vmport.config.db.Database;
import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.PrimaryRoleRow;
import io.vmport.config.db.ServerRow;
import io.vmport.engine.admin.AdminServer;
import io.vmport.engine.admin.MessageQueries;
import io.vmport.engine.admin.PipelineAdminBackend;
import io.vmport.engine.conversation.MessageStore;
import io.vmport.engine.messages.DatabaseMessageStore;
import io.vmport.engine.messages.MailboxCountsListener;
import io.vmport.engine.messages.MailboxCountsNotifier;
import io.vmport.engine.messages.Mailboxes;
import io.vmport.engine.messages.MessageSpool;
import io.vmport.engine.messages.MessageWriter;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.mwi.DatabaseMailboxStates;
import io.vmport.engine.mwi.MwiPublisher;
import io.vmport.engine.mwi.MwiService;
import io.vmport.engine.peer.PeerLink;
import io.vmport.engine.peer.PeerLinkConfig;
import io.vmport.engine.pipeline.AdminRequest;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.pipeline.NanoClock;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.pipeline.PipelineProducer;
import io.vmport.engine.pipeline.PipelineSettings;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortTable;
import io.vmport.engine.routing.Router;
import io.vmport.engine.voice.VoicePorts;
import io.vmport.engine.voice.VoiceStartException;
import io.vmport.sccp.station.StationSettings;
import io.vmport.sip.QueueShed;
import io.vmport.sip.SipTrunk;
import io.vmport.sip.SipTrunkSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of the cluster (DESIGN section 3): its database pool, pipeline, peer link and SIP trunk, started
 * from a {@link NodeConfig} by {@link #start}.
 *
 * <p>Start: open the database (migrations), create the cluster from the {@code cluster} block when the database
 * has none, read the cluster, build the port table, cluster view and router, write this server's row (STARTING),
 * read the primary-role row and leave STARTING (CL-3), then start the pipeline, the peer link and the SIP trunk.
 * {@link #close()} stops them in the reverse order: SIP, peer link, pipeline (drains), database writer (flushes),
 * the pool when this node opened it.
 *
 * <p>Time passes through the pipeline's own timer ({@link PipelineSettings#tickIntervalNs()}, 50 ms), which also
 * hands out the effects that leaving STARTING asked for. Queries ({@link #clusterView()},
 * {@link #monitorSnapshot()}) read the latest published pictures and never wait for the ring.
 *
 * <p>Heartbeats carry this server's calls, so each node's port monitor shows both servers' (ST-11, PM-1); the
 * PRIMARY role is reconciled with the database every heartbeat interval ({@link RoleKeeper}, ST-7, ST-13), and so
 * is the replication state of this server's own database node ({@link DatabaseNodeProbe}: REPLICATING_DATA, ST-10).
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    static final int WRITER_CAPACITY = 1_000_000;
    /** Where SCCP port devices register unless told otherwise: the phone system on TCP 2000 (DESIGN section 4). */
    public static final InetSocketAddress DEFAULT_SCCP_PHONE_SYSTEM = new InetSocketAddress("127.0.0.1", 2000);

    private final NodeConfig config;
    private final ServerName self;
    private final Database database;
    private final boolean ownsDatabase;
    private final ClusterRow clusterRow;
    private final PortPlan plan;
    private final WallClock wallClock = new WallClock();
    private final DatabaseWriter writer;
    private final MessageWriter messageWriter;
    private final DatabaseMessageStore messageStore;
    private final Mailboxes mailboxes;
    private final NodeEffects effects;
    private final DatabaseNodeProbe databaseNode;
    private final Pipeline pipeline;
    private final PeerLink peerLink;
    private final PeerBridge peerBridge;
    private final SipTrunk trunk;
    private final SccpBridge sccp;
    private final VoicePorts voice;
    private final AdminServer admin;
    private final StoredAlarms alarms;
    private volatile MwiService mwi;
    private final boolean storedTakingCalls;
    private final long mwiReconcileIntervalMs;
    private volatile String peerSipUri;
    private volatile boolean closed;

    private Node(NodeConfig config, Database database, boolean ownsDatabase, InetSocketAddress sccpPhoneSystem,
                 long mwiReconcileIntervalMs) {
        this.config = config;
        this.mwiReconcileIntervalMs = mwiReconcileIntervalMs;
        this.self = config.server();
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.clusterRow = clusterOf(config, database, wallClock);
        this.plan = PortPlan.of(clusterRow.integration(), clusterRow.portCount());
        PortTable ports = new PortTable(plan, clusterRow.huntOrder());
        writer = new DatabaseWriter(database, WRITER_CAPACITY, "vmport-" + self.configName() + "-db-writer");
        alarms = new StoredAlarms(wallClock, writer);
        mailboxes = new Mailboxes(database, new MailboxCountsNotifier(database));
        messageWriter = new MessageWriter(database, new MessageSpool(spoolDirectory(config)),
                "vmport-" + self.configName() + "-message-writer", mailboxes.counts());
        messageStore = new DatabaseMessageStore(database, messageWriter, mailboxes);
        Cluster cluster = new Cluster(self, clusterRow.settings(), ports, alarms);
        Router router = new Router(cluster, plan, ports, alarms, config.sip().redirectMaxRingingPercent());

        Optional<ServerRow> ownStored = database.servers().find(self);
        Optional<ServerRow> peerStored = database.servers().find(self.other());
        peerStored.ifPresent(row -> peerSipUri = sipUri(row.host(), row.sipPort()));
        storedTakingCalls = ownStored.map(ServerRow::takingCalls).orElse(true);
        database.servers().upsert(new ServerRow(self, config.sip().host(), config.sip().port(), config.admin().port(),
                ServerStatus.STARTING.name(), storedTakingCalls, wallClock.nowMs()));
        PrimaryRoleRow role = database.primaryRole().current();
        ServerStatus own = ownStored.map(r -> ServerStatus.valueOf(r.status())).orElse(null);
        ServerStatus peer = peerStored.map(r -> ServerStatus.valueOf(r.status())).orElse(ServerStatus.NOT_FUNCTIONING);
        // CL-3: before the pipeline's threads exist, this thread is the cluster's only user; the effects the
        // change asks for are handed out with the first tick.
        ActionResult started = cluster.onClusterStateRead(role.holder(), role.epoch(), own, peer, System.nanoTime());
        LOG.info("{}: cluster state read: database names {} PRIMARY at epoch {}, stored {} / {} {}: {}",
                self.configName(), role.holder() == null ? "no server" : role.holder().configName(), role.epoch(),
                own, self.other().configName(), peer, started.reason());

        voice = new VoicePorts(self, config.media(), plan, clusterRow.settings(), messageStore,
                (port, callId, change) -> producer().conversationChanged(port, callId, change));
        effects = new NodeEffects(self, database, wallClock, this::producer, this::clusterView, writer,
                messageWriter);
        databaseNode = new DatabaseNodeProbe(self, database.ownNodeDataSource(), database.ownNodeHealth(),
                database.connectionSettings().multiHost()
                        ? database.connectionSettings().timeouts().ownNodeTimeoutMs() : 0, this::producer);
        CallCounters counters = new CallCounters();
        pipeline = new Pipeline(PipelineSettings.defaults(plan.size())
                .withThreadNamePrefix("vmport-" + self.configName()),
                router, new DatabaseJournalSink(plan, wallClock, writer, counters), effects, NanoClock.SYSTEM);
        admin = new AdminServer(config.admin(), new PipelineAdminBackend(pipeline, plan, NanoClock.SYSTEM,
                () -> counters.counts(pipeline.monitorSnapshot()),
                n -> database.alarms().newest(n), n -> database.callRecords().newest(n), this::perform,
                MessageQueries.of(database), mailboxes, messageWriter::written));
        voice.bindMetrics(admin.metrics().registry());
        PeerBridge bridge = peerBridge = new PeerBridge(self, pipeline, () -> effects.execute(this::refreshPeerAddress),
                this::performHere, this::mailboxChangedOnPeer);
        peerLink = new PeerLink(PeerLinkConfig.of(self, config.peer().listen(), config.peer().address(),
                clusterRow.settings()), bridge, bridge, System::nanoTime);
        bridge.link(peerLink);
        SipTrunkSettings sip = SipTrunkSettings.of(config.sip().host(), config.sip().port(), config.sip()::allows)
                .withOverloadTargetMs(config.sip().overloadTargetMs())
                .withQueueShed(queueShed(plan, self, config.sip().redirectMaxRingingPercent()));
        trunk = new SipTrunk(sip, new TrunkBridge(self, plan.integration(), pipeline, this::sipUriOf, effects::execute,
                voice));
        sccp = plan.integration() == Integration.SCCP
                ? new SccpBridge(self, plan, pipeline, sccpPhoneSystem, StationSettings.DEFAULTS, voice::plane,
                        new SccpVoiceHook(voice)) : null;
    }

    /**
     * MWI towards the cluster's stored {@code mwiTarget} (MW-1), every mailbox's counts from the database (MW-3),
     * told every change of the message store's counts; a change made here while this server is not PRIMARY goes
     * to the other server over the peer link.
     */
    private void startMwi() {
        MwiService started = MwiService.start(self, clusterRow.settings().mwiTarget(),
                clusterRow.settings().mwiSendsPerSecond(), trunk, this::clusterView,
                new DatabaseMailboxStates(mailboxes.counts()), alarms, clusterRow.settings().heartbeatIntervalMs(),
                mwiReconcileIntervalMs, this::tellPeerMailboxChanged);
        mwi = started;
        mwi.registerMetrics(admin.meterRegistry());
        mailboxes.counts().listen(started::countsChanged);
    }

    /** A mailbox changed on this server while it is not PRIMARY: the other server's PRIMARY sends its MWI. */
    private void tellPeerMailboxChanged(String extension) {
        try {
            peerLink.sendMailboxChanged(extension);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: mailbox {} changed here but cannot be told to {}: {}", self.configName(), extension,
                    self.other().configName(), e.getMessage());
        }
    }

    /** The other server says a mailbox changed there (MW-1): this node's MWI reads it again if PRIMARY. */
    private void mailboxChangedOnPeer(String extension) {
        MwiService m = mwi;
        if (m != null) {
            m.changedOnPeer(extension);
        }
    }

    /** Starts a node on an already open database, which stays open after {@link #close()}. */
    public static Node start(NodeConfig config, Database database) {
        return start(config, database, DEFAULT_SCCP_PHONE_SYSTEM);
    }

    /**
     * As {@link #start(NodeConfig, Database)}, with the SCCP port devices registering at {@code sccpPhoneSystem}.
     *
     * @throws NodeStartException naming the step that failed, its address, and the root cause
     */
    public static Node start(NodeConfig config, Database database, InetSocketAddress sccpPhoneSystem) {
        return startNode(prepare(config, database, false, sccpPhoneSystem, MwiService.DEFAULT_RECONCILE_INTERVAL_MS));
    }

    /** As {@link #start(NodeConfig, Database)}, with the PRIMARY's MWI reconcile every {@code mwiReconcileIntervalMs}. */
    static Node start(NodeConfig config, Database database, long mwiReconcileIntervalMs) {
        return startNode(prepare(config, database, false, DEFAULT_SCCP_PHONE_SYSTEM, mwiReconcileIntervalMs));
    }

    /**
     * Opens the database (running its migrations) and starts a node on it; {@link #close()} closes the pool.
     *
     * @throws NodeStartException naming the step that failed, its address, and the root cause
     */
    public static Node start(NodeConfig config, DatabaseSettings databaseSettings) {
        Database database = NodeStartException.make("opening the database " + databaseSettings.safeUrl()
                + " as user " + databaseSettings.user(), () -> Database.open(databaseSettings));
        try {
            return startNode(prepare(config, database, true, DEFAULT_SCCP_PHONE_SYSTEM,
                    MwiService.DEFAULT_RECONCILE_INTERVAL_MS));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Node prepare(NodeConfig config, Database database, boolean ownsDatabase,
                                InetSocketAddress sccpPhoneSystem, long mwiReconcileIntervalMs) {
        return NodeStartException.make("reading the cluster and recording " + config.server().configName()
                        + " as STARTING in the database " + database.connectionSettings().safeUrl(),
                () -> new Node(config, database, ownsDatabase, sccpPhoneSystem, mwiReconcileIntervalMs));
    }

    /** Each step names what it does and where, so that a failure says so (issue 16 item 5). */
    private static Node startNode(Node node) {
        NodeConfig config = node.config;
        try {
            NodeStartException.run("starting the database writer", node.writer::start);
            NodeStartException.run("starting the message writer", node.messageWriter::start);
            NodeStartException.run("starting the pipeline", node.pipeline::start);
            node.effects.startReconciling(node.clusterRow.settings().heartbeatIntervalMs());
            node.databaseNode.start(node.clusterRow.settings().heartbeatIntervalMs());
            if (!node.storedTakingCalls) {
                // CA-4: Stop Taking Calls outlives a restart, until Take Calls; in force before SIP opens
                ActionResult r = NodeStartException.make("applying the stored Stop Taking Calls (CA-4)",
                        () -> node.perform(AdminAction.STOP_TAKING_CALLS, node.self, false).join());
                LOG.info("{}: stored as not taking calls: {}", node.self.configName(), r);
            }
            NodeStartException.run("listening for the peer link on " + config.peer().listen(), node.peerLink::start);
            node.startVoice();
            NodeStartException.run("listening for SIP on " + config.sip().host() + ":" + config.sip().port()
                    + " (udp and tcp)", node.trunk::start);
            NodeStartException.run("starting MWI" + node.clusterRow.settings().mwiTarget()
                    .map(t -> " to " + t).orElse(""), node::startMwi);
            if (node.sccp != null) {
                NodeStartException.run("starting the SCCP port devices (phone system at " + node.sccp.phoneSystem()
                        + ")", node.sccp::start);
            }
            NodeStartException.run("listening for the admin API on " + config.admin().host() + ":"
                    + config.admin().port(), node.admin::start);
        } catch (NodeStartException e) {
            LOG.error("{} cannot start: {}", node.self.configName(), e.getMessage());
            LOG.debug("{} start failure", node.self.configName(), e);
            node.close();
            throw e;
        }
        LOG.info("{} started: {}", node.self.configName(), node.describe());
        return node;
    }

    /** MD-1: the media plane runs before SIP or SCCP can answer a call. */
    private void startVoice() {
        try {
            voice.start();
        } catch (VoiceStartException e) {
            throw new NodeStartException("node " + self.configName() + ": " + e.getMessage());
        }
    }

    private static ClusterRow clusterOf(NodeConfig config, Database database, WallClock clock) {
        Optional<ClusterRow> stored = database.cluster().find();
        if (stored.isPresent()) {
            return stored.get();
        }
        ClusterBootstrap boot = config.cluster().orElseThrow(() -> new NodeStartException("node "
                + config.server().configName() + ": the database " + database.connectionSettings().safeUrl()
                + " holds no cluster and the configuration has no cluster block to create one: add"
                + " 'cluster: { integration: sip-trunk, ports: 16 }' to the node's file, or start the node that has it"));
        ClusterRow created = database.cluster().createIfAbsent(boot.integration(), boot.ports(), boot.settings(),
                clock.nowMs());
        LOG.info("cluster ready: {} with {} ports", created.integration().configName(), created.portCount());
        return created;
    }

    /**
     * An administrative action (SPEC PM-3) on {@code target}; the answer comes once both nodes' views show its
     * result (PM-2: the answer and every later query, on either node, agree).
     *
     * <p>On the other server it is forwarded over the peer link to that server's node, which owns those calls and
     * that SIP trunk and applies it there (PM-4: an action works on either node); that node sends a heartbeat just
     * before its answer, and the answer passes through this node's ring behind it. On this node's own server it
     * goes through this node's ring; with the peer link up, the peer is then told (a heartbeat, then this action
     * as a notice) and the answer waits for it to acknowledge. With the peer link down, it is applied to this
     * node's view.
     */
    public CompletableFuture<ActionResult> perform(AdminAction action, ServerName target, boolean force) {
        if (target != self && peerLink.connected()) {
            return peerLink.sendAction(action, target, force).thenCompose(r -> producer().peerAnswered(
                    AdminRequest.answeredByPeer(action, target, force, ActionResult.fromPeer(r.ok(), r.reason(),
                            target, r.status(), r.callsAffected()))));
        }
        CompletableFuture<ActionResult> result = performHere(action, target, force);
        return result.thenCompose(r -> r.ok() && peerLink.connected() ? tellPeer(action, target, force, r)
                : CompletableFuture.completedFuture(r));
    }

    /** Performs the action through this node's ring only: for the peer bridge, whose peer waits for the answer. */
    private CompletableFuture<ActionResult> performHere(AdminAction action, ServerName target, boolean force) {
        CompletableFuture<ActionResult> result = producer().adminAction(new AdminRequest(action, target, force));
        if (target == self && (action == AdminAction.STOP_TAKING_CALLS || action == AdminAction.TAKE_CALLS)) {
            result = result.thenApply(r -> {
                if (r.ok()) {
                    effects.execute(() -> database.servers().updateTakingCalls(self,
                            action == AdminAction.TAKE_CALLS, wallClock.nowMs()));
                }
                return r;
            });
        }
        return result;
    }

    /**
     * Tells the peer of an action done here (the link sends a heartbeat, then the action as a notice that the peer
     * acknowledges once its view shows it) and completes with {@code done} then, or when the link fails or times
     * out: the action stands either way.
     */
    private CompletableFuture<ActionResult> tellPeer(AdminAction action, ServerName target, boolean force,
                                                     ActionResult done) {
        return peerLink.sendAction(action, target, force).handle((ack, failure) -> {
            if (failure != null) {
                LOG.info("{}: {} {} done; {} not told at once ({}): its view follows with the next heartbeat",
                        self.configName(), action.pathName(), target.configName(), self.other().configName(),
                        failure.getMessage());
            }
            return done;
        });
    }

    /**
     * Where this node keeps messages the database has not taken yet (SPEC MS-2): beside the embedded database's
     * files ({@code <dir>/spool/<server>}), else {@code ./vmport-spool/<server>} in the working directory.
     */
    static Path spoolDirectory(NodeConfig config) {
        Path base = config.database().isEmbedded() ? config.database().embeddedDir().resolve("spool")
                : Path.of("vmport-spool");
        return base.resolve(config.server().configName());
    }

    /**
     * The conversation's message store (SPEC MS-1, MS-2): mailboxes and messages in the shared database, new messages
     * kept in this node's spool until stored. Thread-safe; its reads block on the database.
     */
    public MessageStore messageStore() {
        return messageStore;
    }

    /**
     * Where this node tells every change of a mailbox's counts, and reads every mailbox's counts (MWI: SPEC MW-1,
     * MW-3): {@code mailboxCounts().listen(listener)}.
     */
    public MailboxCountsNotifier mailboxCounts() {
        return mailboxes.counts();
    }

    /** The latest cluster view (SPEC PM-2); never waits. */
    public ClusterView clusterView() {
        return pipeline.clusterView();
    }

    /** The latest port-monitor snapshot (SPEC PM-1); never waits. */
    public MonitorSnapshot monitorSnapshot() {
        return pipeline.monitorSnapshot();
    }

    public PipelineProducer producer() {
        return pipeline.producer();
    }

    /**
     * The node's MWI: the message store's counts hook calls it after each change (SPEC MW-1; sent only while this
     * server is PRIMARY, a change made on the SECONDARY through the PRIMARY).
     */
    public MwiPublisher mwi() {
        return mwi.publisher();
    }

    /** The node's voice: its media plane and each answered call's media (SPEC section 7). */
    public VoicePorts voice() {
        return voice;
    }

    /** The node's SIP trunk. */
    public SipTrunk trunk() {
        return trunk;
    }

    public Database database() {
        return database;
    }

    public ServerName self() {
        return self;
    }

    public NodeConfig config() {
        return config;
    }

    public PortPlan portPlan() {
        return plan;
    }

    public ClusterRow cluster() {
        return clusterRow;
    }

    /** Whether the peer link is up now. */
    public boolean peerConnected() {
        return peerLink.connected();
    }

    /**
     * For tests: stops this node's peer link for good, as a cut network would (the other node keeps redialling;
     * both see the link down). The node runs on without it.
     */
    void stopPeerLink() {
        peerLink.stop();
    }

    /** Where the peer link listens. */
    public InetSocketAddress peerListenAddress() {
        return peerLink.listenAddress();
    }

    /** Call records and alarms waiting for the database (SPEC BI-4). */
    public int pendingWrites() {
        return writer.pending();
    }

    private String sipUriOf(ServerName server) {
        return server == self ? sipUri(config.sip().host(), config.sip().port()) : peerSipUri;
    }

    private void refreshPeerAddress() {
        try {
            database.servers().find(self.other()).ifPresent(row -> peerSipUri = sipUri(row.host(), row.sipPort()));
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot read the SIP address of {}: {}", self.configName(), self.other().configName(),
                    e.getMessage());
        }
    }

    /**
     * SIP trunk and other SIP: the trunk sheds new INVITEs with 503 while its calls fill this server's ports and are
     * mostly in set-up, as the router would refuse them OVERLOADED (CA-1, BI-1). Off for PIMG/TIMG (the gateway
     * names the port) and for a server with no SIP port of its own.
     */
    private static QueueShed queueShed(PortPlan plan, ServerName self, int redirectMaxRingingPercent) {
        Integration integration = plan.integration();
        boolean pooled = integration == Integration.SIP_TRUNK || integration == Integration.OTHER_SIP;
        int ports = plan.count(self);
        return pooled && ports > 0 ? new QueueShed(ports, redirectMaxRingingPercent) : QueueShed.OFF;
    }

    private static String sipUri(String host, int port) {
        return "sip:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Where this node listens and what it is now, for logs and the command line. */
    public String describe() {
        ClusterView view = clusterView();
        return self.configName() + ": SIP udp+tcp " + config.sip().host() + ":" + config.sip().port()
                + ", peer link " + config.peer().listen() + " -> " + config.peer().address()
                + ", admin http://" + config.admin().host() + ":" + config.admin().port()
                + ", RTP " + config.media().host() + " " + config.media().firstRtpPort() + "-"
                + config.media().lastRtpPort()
                + ", " + (plan.isShared() ? plan.size() + " shared" : plan.count(self) + " of " + plan.size()) + " "
                + plan.integration().configName() + " ports"
                + (sccp == null ? "" : " registering with the phone system at " + sccp.phoneSystem())
                + (view == null ? "" : ", " + view.status(self) + " at epoch " + view.epoch());
    }

    /**
     * Stops SIP, the peer link, the pipeline (drains), the writer (flushes), marks this server NOT_FUNCTIONING in
     * its row, then closes the pool if this node opened it. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("{} stopping", self.configName());
        peerBridge.closing();
        quietly("admin API", admin::close);
        if (sccp != null) {
            quietly("SCCP port devices", sccp::close);
        }
        if (mwi != null) {
            mailboxes.counts().listen(MailboxCountsListener.NONE);
            quietly("MWI", mwi::close);
        }
        quietly("SIP trunk", trunk::stop);
        quietly("media plane", voice::close);
        quietly("peer link", peerLink::stop);
        quietly("database node probe", databaseNode::close);
        quietly("pipeline", pipeline::stop);
        quietly("effects", effects::close);
        quietly("database writer", writer::close);
        quietly("message writer", messageWriter::close);  // what is not stored stays in the spool (MS-2)
        // A node that stopped answers nothing: say so, so that a node starting alone does not wait for it (CL-3)
        quietly("server row", () -> database.servers().updateStatus(self, ServerStatus.NOT_FUNCTIONING.name(),
                wallClock.nowMs()));
        if (ownsDatabase) {
            quietly("database pool", database::close);
        }
        LOG.info("{} stopped", self.configName());
    }

    private void quietly(String what, Runnable stop) {
        try {
            stop.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: stopping the {} failed: {}", self.configName(), what, e.toString());
        }
    }

    @Override
    public String toString() {
        return "Node[" + describe() + "]";
    }
}
