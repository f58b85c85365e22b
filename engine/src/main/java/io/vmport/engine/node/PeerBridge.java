package io.vmport.engine.node;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.peer.HeartbeatContent;
import io.vmport.engine.peer.HeartbeatSource;
import io.vmport.engine.peer.PeerAction;
import io.vmport.engine.peer.PeerActionResult;
import io.vmport.engine.peer.PeerHeartbeat;
import io.vmport.engine.peer.PeerHello;
import io.vmport.engine.peer.PeerLink;
import io.vmport.engine.peer.PeerMailboxChanged;
import io.vmport.engine.peer.PeerListener;
import io.vmport.engine.admin.PipelineAdminBackend;
import io.vmport.engine.pipeline.AdminRequest;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.OwnCallDeltas;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.pipeline.MonitorSnapshot;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the peer link to the pipeline: what arrives from the other node becomes ring events (heartbeats, peer
 * lost, forwarded actions), and heartbeats say what the latest {@link ClusterView} says about this node. Runs on
 * the link's event-loop thread. Heartbeats carry this server's calls as port deltas ({@link OwnCallDeltas}), a
 * full snapshot after each (re)connection; the monitor stage shows the peer's (ST-11, PM-1) and the other node's
 * router refuses a PIMG shared port on which this server has a call.
 */
final class PeerBridge implements PeerListener, HeartbeatSource {
    private static final Logger LOG = LoggerFactory.getLogger(PeerBridge.class);

    private final ServerName self;
    private final Pipeline pipeline;
    private final Runnable peerUp;
    private final PipelineAdminBackend.Actions actions;
    private final OwnCallDeltas ownCalls;
    private final Consumer<String> mailboxChanged;
    private volatile PeerLink link;
    private volatile boolean closing;

    /**
     * @param peerUp  run (quickly: hand off) each time the link comes up
     * @param actions performs an action the other node forwarded for this server (the node's own, so that what it
     *                keeps beside the ring, such as the stored taking-calls flag, follows too)
     * @param mailboxChanged told the extension of a mailbox that changed on the other server (MWI, MW-1); must not
     *                block
     */
    PeerBridge(ServerName self, Pipeline pipeline, Runnable peerUp, PipelineAdminBackend.Actions actions,
               Consumer<String> mailboxChanged) {
        this.self = self;
        this.pipeline = pipeline;
        this.peerUp = peerUp;
        this.actions = actions;
        this.mailboxChanged = mailboxChanged;
        this.ownCalls = new OwnCallDeltas(self, pipeline.monitorSnapshot().portCount());
    }

    void link(PeerLink link) {
        this.link = link;
    }

    @Override
    public void onConnected(PeerHello hello) {
        LOG.info("{}: peer link up to {} (epoch {})", self.configName(), hello.sender().configName(), hello.epoch());
        ownCalls.restart(); // the peer may have missed deltas: send every call again
        peerUp.run();
    }

    @Override
    public void onHeartbeat(PeerHeartbeat heartbeat, long receivedAtNs) {
        publish(() -> pipeline.producer().peerHeartbeat(heartbeat));
    }

    /** From now on the link's own shutdown is not reported as a lost peer (no failover on a clean stop). */
    void closing() {
        closing = true;
    }

    @Override
    public void onDisconnected(String reason) {
        if (closing) {
            LOG.info("{}: peer link closed while this node stops: {}", self.configName(), reason);
            return;
        }
        publish(() -> pipeline.producer().peerLost(reason));
    }

    /**
     * An action on this server, forwarded by the other node: performed here. An action on the other server is a
     * notice that its node performed it: the heartbeat it sent just before carries the result, and the notice is
     * acknowledged once this node's view shows it (it passes through the ring behind that heartbeat).
     */
    @Override
    public void onAction(PeerAction action) {
        publish(() -> (action.target() == self
                ? actions.perform(action.action(), self, action.force())
                : pipeline.producer().peerAnswered(AdminRequest.answeredByPeer(action.action(), action.target(),
                        action.force(), ActionResult.fromPeer(true, "done by " + action.target().configName(),
                                action.target(), null, 0))))
                .whenComplete((r, failure) -> {
                    PeerLink l = link;
                    if (l == null) {
                        return;
                    }
                    l.reply(failure != null
                            ? new PeerActionResult(action.requestId(), false, "failed: " + failure, null, 0)
                            : new PeerActionResult(action.requestId(), r.ok(), r.reason(), r.status(),
                                    r.callsAffected()));
                }));
    }

    @Override
    public void onMailboxChanged(PeerMailboxChanged change) {
        mailboxChanged.accept(change.extension());
    }

    @Override
    public long epoch() {
        ClusterView view = pipeline.clusterView();
        return view == null ? 0 : view.epoch();
    }

    @Override
    public HeartbeatContent nextHeartbeat(int maxDeltaBytes) {
        ClusterView view = pipeline.clusterView();
        ClusterView.Server me = view.server(self);
        MonitorSnapshot monitor = pipeline.monitorSnapshot();
        OwnCallDeltas.Batch batch = ownCalls.next(monitor, System.nanoTime(), maxDeltaBytes);
        return new HeartbeatContent(me.status(), view.epoch(), view.primary(), me.takingCalls(),
                monitor.callsInProgress(self), view.status(self.other()), batch.snapshot(), view.mergeDone(),
                batch.deltas());
    }

    private void publish(Runnable r) {
        try {
            r.run();
        } catch (IllegalStateException stopping) {
            LOG.debug("{}: peer event not published: {}", self.configName(), stopping.getMessage());
        }
    }
}
