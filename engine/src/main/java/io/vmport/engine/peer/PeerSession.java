package io.vmport.engine.peer;

import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.AdminAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The state of the link, confined to its event-loop thread: the open connections, which one is in use, whether
 * the link is up, when the peer was last heard, the actions awaiting an answer, and the counters (volatile, so
 * other threads may read them).
 *
 * <p><b>Duplicates.</b> Both nodes dial, so two connections may exist at once. Both sides apply the same rule
 * when a second connection completes its HELLO, so they keep the same one: a connection from a restarted peer
 * (new session id) wins; else the one the publisher dialled wins; else (both dialled by the same side, which
 * dials only when it has no link) the newer wins. The rule reads no clock, so a busy machine cannot make the
 * two sides disagree. The loser gets BYE(duplicate) and is closed gracefully; the link stays up meanwhile and the
 * listener sees no disconnection. A side whose used connection is closed as a duplicate waits for the kept one,
 * guarded by the silence timeout. A half-open leftover that the peer lost long ago is ended by that timeout too.
 *
 * <p><b>Actions across the switch (PM-3).</b> The peer may have written a heartbeat, an action or an answer on a
 * connection before it read this side's BYE(duplicate) for it: frames on a connection of the same peer session
 * that this side is closing as a duplicate still count (the graceful close reads until the peer closes), a
 * heartbeat only when it is newer than the last one taken (the sequence runs across connections), so that no
 * stale state overwrites newer. While the link is up with no connection to write on (the peer closed the one in
 * use as a duplicate, the HELLO on the one it keeps has not arrived), actions and answers wait and go out on the
 * kept connection, right after a heartbeat; if the link goes down instead, the actions fail with the reason. An
 * action is thus answered, or fails naming why; only a peer that reads nothing for the linger (the local
 * heartbeat timeout) can miss one, and its asker then gets the action timeout.
 *
 * <p><b>Silence (ST-11, ST-8).</b> The link is reported down when nothing has arrived for
 * {@code max(localHeartbeatTimeoutMs, the peer's remoteHeartbeatTimeoutMs from its HELLO)}; see {@link PeerLink}.
 */
final class PeerSession {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    private static final long NS_PER_MS = 1_000_000L;
    /** Connections that have not said HELLO yet, at most: more are closed at once. */
    static final int MAX_UNIDENTIFIED = 8;
    /** Forwarded actions awaiting their answer, at most. */
    static final int MAX_PENDING_ACTIONS = 64;

    private record Pending(PeerAction action, CompletableFuture<PeerActionResult> future, ScheduledFuture<?> timer) {
    }

    private final PeerLinkConfig config;
    private final ServerName self;
    private final PeerListener listener;
    private final HeartbeatSource source;
    private final LongSupplier clock;
    private final long sessionId;
    private final Runnable onUp;
    private final Runnable onDown;
    /** How long a gracefully closed connection may wait for the peer to close it. */
    private final long lingerMs;

    private final List<PeerHandler> channels = new ArrayList<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    /** Actions and answers waiting for a connection to write on (see the class javadoc), in order. */
    private final ArrayDeque<PeerMessage> held = new ArrayDeque<>();
    private PeerHandler active;
    private PeerHello peerHello;
    private long lastReceivedNs;
    private long silenceTimeoutMs;
    private long sequence;
    /** The newest heartbeat sequence taken from the current peer session. */
    private long lastSequenceTaken = Long.MIN_VALUE;
    private long nextRequestId;
    private boolean everUp;
    private boolean stopping;

    private volatile boolean up;
    private volatile boolean trace;
    private volatile long heartbeatsSent;
    private volatile long heartbeatsReceived;
    private volatile long reconnects;
    private volatile long malformedFrames;
    private volatile long lastHeartbeatNs = PeerLink.NEVER;
    private volatile long duplicatesClosed;

    /**
     * @param onUp   run when the link comes up (the dialler resets its backoff)
     * @param onDown run when the link goes down (the dialler starts redialling)
     */
    PeerSession(PeerLinkConfig config, PeerListener listener, HeartbeatSource source, LongSupplier clock,
                long sessionId, Runnable onUp, Runnable onDown) {
        this.config = config;
        this.self = config.self();
        this.listener = listener;
        this.source = source;
        this.clock = clock;
        this.sessionId = sessionId;
        this.onUp = onUp;
        this.onDown = onDown;
        this.trace = config.heartbeatTrace();
        this.silenceTimeoutMs = config.localHeartbeatTimeoutMs();
        this.lingerMs = config.localHeartbeatTimeoutMs();
    }

    // ================================================================ connections

    /** A connection opened: say HELLO, unless too many strangers are waiting already. */
    void opened(PeerHandler h) {
        if (stopping) {
            h.closeQuietly(PeerBye.Code.STOPPING, "the link is stopping");
            return;
        }
        int unidentified = 0;
        for (PeerHandler c : channels) {
            if (c.hello == null) {
                unidentified++;
            }
        }
        if (unidentified >= MAX_UNIDENTIFIED) {
            LOG.warn("peer link: {} connections have not said HELLO yet; closing {} at once", unidentified, h.label());
            h.closeQuietly(PeerBye.Code.REFUSED, "too many connections without HELLO");
            return;
        }
        h.openedAtNs = clock.getAsLong();
        channels.add(h);
        long epoch;
        try {
            epoch = Math.max(0, source.epoch());
        } catch (RuntimeException e) {
            LOG.error("peer link: the heartbeat source failed to give the epoch; HELLO says 0", e);
            epoch = 0;
        }
        h.channel.writeAndFlush(new PeerHello(PeerWire.PROTOCOL_VERSION, self, sessionId, epoch,
                config.remoteHeartbeatTimeoutMs()), h.channel.voidPromise());
        LOG.debug("peer link: connection {} opened, HELLO sent", h.label());
    }

    void received(PeerHandler h, PeerMessage m) {
        long nowNs = clock.getAsLong();
        if (m instanceof PeerHello hello) {
            onHello(h, hello, nowNs);
            return;
        }
        if (m instanceof PeerBye bye) {
            onBye(h, bye);
            return;
        }
        if (h.hello == null) {
            refuse(h, PeerWire.typeName(typeOf(m)) + " before HELLO");
            return;
        }
        if (h != active && !duplicateOfThisPeer(h)) {
            return; // a connection on its way out, of an earlier peer session or after the link went down
        }
        lastReceivedNs = nowNs;
        if (m instanceof PeerHeartbeat hb) {
            onHeartbeat(h, hb, nowNs);
        } else if (m instanceof PeerAction a) {
            notify("onAction", () -> listener.onAction(a));
        } else if (m instanceof PeerActionResult r) {
            onActionResult(r);
        } else if (m instanceof PeerMailboxChanged c) {
            notify("onMailboxChanged", () -> listener.onMailboxChanged(c));
        }
    }

    private void onHello(PeerHandler h, PeerHello hello, long nowNs) {
        if (h.hello != null) {
            refuse(h, "a second HELLO");
            return;
        }
        if (hello.sender() != self.other()) {
            refuse(h, "HELLO from " + hello.sender().configName() + ", but this node is " + self.configName()
                    + " and expects " + self.other().configName() + " (check the server setting of both nodes)");
            return;
        }
        h.hello = hello;
        PeerHandler current = active;
        if (current == null) {
            activate(h, nowNs);
            return;
        }
        PeerHandler keep = choose(current, h);
        PeerHandler drop = keep == h ? current : h;
        duplicatesClosed++;
        LOG.info("peer link: two connections with {}; keeping {}, closing {}", self.other().configName(),
                keep.label(), drop.label());
        drop.closeWith(PeerBye.Code.DUPLICATE, "duplicate connection: " + self.configName() + " keeps "
                + keep.label(), lingerMs);
        if (keep == h) {
            activate(h, nowNs);
        }
    }

    /** A connection of the peer in use that this side closes as a duplicate: its frames still count. */
    private boolean duplicateOfThisPeer(PeerHandler h) {
        return up && h.closeCode == PeerBye.Code.DUPLICATE && peerHello != null
                && h.hello.sessionId() == peerHello.sessionId();
    }

    /** The duplicate rule (class javadoc): the same answer on both sides. */
    private PeerHandler choose(PeerHandler current, PeerHandler fresh) {
        if (current.hello.sessionId() != fresh.hello.sessionId()) {
            return fresh;
        }
        boolean currentPreferred = current.publisherDialled(self);
        boolean freshPreferred = fresh.publisherDialled(self);
        if (freshPreferred != currentPreferred) {
            return freshPreferred ? fresh : current;
        }
        return fresh;
    }

    private void activate(PeerHandler h, long nowNs) {
        if (up && peerHello != null && peerHello.sessionId() != h.hello.sessionId()) {
            goDown(self.other().configName() + " restarted (new session on " + h.label() + ")", h, false);
        }
        boolean wasUp = up;
        active = h;
        if (peerHello == null) {
            lastSequenceTaken = Long.MIN_VALUE; // a new peer session, or the same after the link was down
        }
        peerHello = h.hello;
        silenceTimeoutMs = Math.max(config.localHeartbeatTimeoutMs(), h.hello.remoteHeartbeatTimeoutMs());
        lastReceivedNs = nowNs;
        up = true;
        if (wasUp) {
            LOG.info("peer link to {} now over {}", self.other().configName(), h.label());
        } else {
            if (everUp) {
                reconnects++;
            }
            everUp = true;
            LOG.info("peer link up: {} over {}, peer epoch {}, silence timeout {} ms (local {} ms, peer asks {} ms)",
                    self.other().configName(), h.label(), h.hello.epoch(), silenceTimeoutMs,
                    config.localHeartbeatTimeoutMs(), h.hello.remoteHeartbeatTimeoutMs());
            onUp.run();
        }
        PeerHello hello = h.hello;
        notify("onConnected", () -> listener.onConnected(hello));
        sendHeartbeat();
        sendHeld(h);
    }

    private void onHeartbeat(PeerHandler h, PeerHeartbeat hb, long nowNs) {
        if (hb.sender() != h.hello.sender()) {
            refuse(h, "HEARTBEAT from " + hb.sender().configName() + " on the connection of "
                    + h.hello.sender().configName());
            return;
        }
        if (hb.sequence() <= lastSequenceTaken) {
            LOG.debug("peer link: {} over {} is older than #{} taken already; dropped", hb, h.label(),
                    lastSequenceTaken);
            return;
        }
        lastSequenceTaken = hb.sequence();
        heartbeatsReceived++;
        lastHeartbeatNs = nowNs;
        if (trace) {
            LOG.info("peer link: received {} over {}", hb, h.label());
        }
        notify("onHeartbeat", () -> listener.onHeartbeat(hb, nowNs));
    }

    private void onActionResult(PeerActionResult r) {
        Pending p = pending.remove(r.requestId());
        if (p == null) {
            LOG.info("peer link: an answer to action #{} that no longer waits (timed out?): {}", r.requestId(), r);
        } else {
            p.timer().cancel(false);
            p.future().complete(r);
        }
        notify("onActionResult", () -> listener.onActionResult(r));
    }

    private void onBye(PeerHandler h, PeerBye bye) {
        String why = self.other().configName() + " closed " + h.label() + ": " + bye.reason();
        if (h == active && bye.code() != PeerBye.Code.DUPLICATE) {
            LOG.info("peer link: {}", why);
        } else {
            LOG.debug("peer link: {}", why);
        }
        h.closeLogged = true;
        h.closeQuietly(bye.code(), why);
    }

    /** A malformed or out-of-place frame: one log line, the connection closed, the link down if it was in use. */
    void refuse(PeerHandler h, String what) {
        malformedFrames++;
        LOG.warn("peer link: closing {}: {}", h.label(), what);
        h.closeLogged = true;
        h.closeWith(PeerBye.Code.REFUSED, what, lingerMs);
    }

    /** An I/O error on the connection. */
    void failed(PeerHandler h, Throwable cause) {
        String what = "connection error on " + h.label() + ": " + cause.getMessage();
        LOG.debug("peer link: {}", what, cause);
        h.closeQuietly(PeerBye.Code.REFUSED, what);
    }

    /** The connection closed, for whatever reason. */
    void closed(PeerHandler h) {
        channels.remove(h);
        if (stopping || h != active) {
            return;
        }
        active = null;
        if (!up) {
            return;
        }
        if (h.closeCode == PeerBye.Code.DUPLICATE) {
            LOG.debug("peer link: {} closed as a duplicate; waiting for the connection {} keeps", h.label(),
                    self.other().configName());
            return; // the silence timeout guards the wait
        }
        goDown(h.closeReason != null ? h.closeReason : self.other().configName() + " closed " + h.label(), null,
                h.closeLogged);
    }

    /** Reports the link down, fails the actions in flight, closes every identified connection except {@code keep}. */
    private void goDown(String reason, PeerHandler keep, boolean logged) {
        if (!up) {
            return;
        }
        up = false;
        active = null;
        peerHello = null;
        if (!logged) {
            LOG.warn("peer link down: {}", reason);
        }
        failPending("the peer link went down: " + reason);
        dropHeld(reason);
        for (PeerHandler c : new ArrayList<>(channels)) {
            if (c != keep && c.hello != null) {
                c.closeWith(PeerBye.Code.SILENT, reason, lingerMs);
            }
        }
        notify("onDisconnected", () -> listener.onDisconnected(reason));
        onDown.run();
    }

    // ================================================================ timers

    /** Every heartbeat interval: silence, connections that never said HELLO, then this node's heartbeat. */
    void tick(long nowNs) {
        if (stopping) {
            return;
        }
        if (up) {
            long silentMs = (nowNs - lastReceivedNs) / NS_PER_MS;
            if (silentMs >= silenceTimeoutMs) {
                goDown("silent for " + silentMs + " ms (timeout " + silenceTimeoutMs + " ms: the longer of local "
                        + config.localHeartbeatTimeoutMs() + " ms and the " + (peerHello == null ? "?"
                        : peerHello.remoteHeartbeatTimeoutMs()) + " ms the peer asked for, ST-11)", null, false);
            }
        }
        long helloTimeoutNs = config.localHeartbeatTimeoutMs() * NS_PER_MS;
        for (PeerHandler c : new ArrayList<>(channels)) {
            if (c.hello == null && !c.closing() && nowNs - c.openedAtNs >= helloTimeoutNs) {
                LOG.info("peer link: closing {}: no HELLO within {} ms", c.label(), config.localHeartbeatTimeoutMs());
                c.closeLogged = true;
                c.closeWith(PeerBye.Code.REFUSED, "no HELLO within " + config.localHeartbeatTimeoutMs() + " ms",
                        lingerMs);
            }
        }
        sendHeartbeat();
    }

    private void sendHeartbeat() {
        PeerHandler a = active;
        if (!up || a == null || a.closing() || !a.channel.isActive()) {
            return;
        }
        if (!a.channel.isWritable()) {
            LOG.debug("peer link: {} does not read; heartbeat skipped", a.label());
            return;
        }
        HeartbeatContent content;
        try {
            content = source.nextHeartbeat(PeerWire.MAX_DELTA_BYTES);
        } catch (RuntimeException e) {
            LOG.error("peer link: the heartbeat source failed; heartbeat skipped", e);
            return;
        }
        if (content == null) {
            return;
        }
        PeerHeartbeat hb = new PeerHeartbeat(++sequence, self, content);
        a.channel.writeAndFlush(hb, a.channel.voidPromise());
        heartbeatsSent++;
        if (trace) {
            LOG.info("peer link: sent {} over {}", hb, a.label());
        }
    }

    // ================================================================ actions

    /** Forwards an action; {@code timers} runs its answer timeout (the link's event loop). */
    void sendAction(AdminAction action, ServerName target, boolean force, CompletableFuture<PeerActionResult> future,
                    EventExecutor timers) {
        String what = action.pathName() + " " + target.configName();
        if (stopping || !up) {
            future.completeExceptionally(new PeerLinkException("cannot forward " + what + ": the peer link to "
                    + self.other().configName() + " is " + (stopping ? "stopped" : "down")));
            return;
        }
        if (pending.size() >= MAX_PENDING_ACTIONS) {
            future.completeExceptionally(new PeerLinkException("cannot forward " + what + ": " + pending.size()
                    + " actions await an answer already (at most " + MAX_PENDING_ACTIONS + ")"));
            return;
        }
        PeerAction msg = new PeerAction(++nextRequestId, action, target, force);
        long id = msg.requestId();
        ScheduledFuture<?> timer = timers.schedule(() -> {
            Pending p = pending.remove(id);
            if (p != null) {
                p.future().completeExceptionally(new TimeoutException(held.remove(msg)
                        ? "cannot forward " + what + " (#" + id + "): no connection to " + self.other().configName()
                                + " to write on came up within " + config.actionTimeoutMs() + " ms"
                        : "no answer from " + self.other().configName() + " to " + what + " (#" + id + ") within "
                                + config.actionTimeoutMs() + " ms"));
            }
        }, config.actionTimeoutMs(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(msg, future, timer));
        LOG.info("peer link: forwarded {} as #{}{}", what, id, send(msg) ? ""
                : " (waiting for the connection " + self.other().configName() + " keeps)");
    }

    /**
     * Tells the peer a mailbox changed here (MW-1), after a heartbeat like an action; dropped (false) while the
     * link is down or the peer's protocol version predates MAILBOX_CHANGED: the PRIMARY's reconcile covers it.
     */
    boolean sendMailboxChanged(PeerMailboxChanged change) {
        if (stopping || !up || peerHello == null || peerHello.protocolVersion() < PeerWire.MAILBOX_CHANGED_SINCE) {
            LOG.debug("peer link: {} not told that mailbox {} changed: {}", self.other().configName(),
                    change.extension(), stopping || !up ? "the link is down" : "its protocol version is "
                            + (peerHello == null ? "?" : peerHello.protocolVersion()));
            return false;
        }
        send(change);
        return true;
    }

    void reply(PeerActionResult result) {
        if (stopping || !up) {
            LOG.warn("peer link: cannot answer action #{}: the link is down; the peer's request fails as its link"
                    + " goes down too", result.requestId());
            return;
        }
        // The action changed this node's state: a heartbeat first brings it to the peer, so that the peer shows
        // it before it answers its administrator (PM-2: the answer and every later query agree on both nodes).
        send(result);
    }

    /**
     * Writes an action, an answer or a mailbox change right after a heartbeat, so that the peer handles it with this node's newest
     * state (PM-2); while the link has no connection to write on, holds it for the kept one (class javadoc).
     * Returns whether it went out now. The link is up.
     */
    private boolean send(PeerMessage frame) {
        PeerHandler a = active;
        if (a == null || a.closing() || !a.channel.isActive()) {
            held.add(frame);
            return false;
        }
        sendHeartbeat();
        a.channel.writeAndFlush(frame, a.channel.voidPromise());
        return true;
    }

    /** The link moved to {@code h}, and its heartbeat went out: the held frames follow (timed-out actions left). */
    private void sendHeld(PeerHandler h) {
        if (held.isEmpty()) {
            return;
        }
        LOG.info("peer link: {} held action(s) and answer(s) go out over {}", held.size(), h.label());
        for (PeerMessage m; (m = held.poll()) != null; ) {
            h.channel.writeAndFlush(m, h.channel.voidPromise());
        }
    }

    /** The link went down or stops: held actions fail with the pending ones; held answers are lost, said once. */
    private void dropHeld(String reason) {
        for (PeerMessage m : held) {
            if (m instanceof PeerActionResult r) {
                LOG.warn("peer link: answer to action #{} not sent: {}; the peer's request fails as its link goes"
                        + " down too", r.requestId(), reason);
            }
        }
        held.clear();
    }

    private void failPending(String reason) {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : all) {
            p.timer().cancel(false);
            p.future().completeExceptionally(new PeerLinkException("no answer to " + p.action().action().pathName()
                    + " (#" + p.action().requestId() + "): " + reason));
        }
    }

    // ================================================================ stop

    /** Says BYE on every connection and closes them; returns their close futures. */
    List<ChannelFuture> stop(String reason) {
        if (stopping) {
            return List.of();
        }
        stopping = true;
        boolean wasUp = up;
        up = false;
        active = null;
        failPending(reason);
        dropHeld(reason);
        List<ChannelFuture> closing = new ArrayList<>();
        for (PeerHandler c : new ArrayList<>(channels)) {
            c.closeWith(PeerBye.Code.STOPPING, reason, lingerMs);
            closing.add(c.channel.closeFuture());
        }
        if (wasUp) {
            LOG.info("peer link down: {}", reason);
            notify("onDisconnected", () -> listener.onDisconnected(reason));
        }
        return closing;
    }

    // ================================================================ state for the link and tests

    boolean up() {
        return up;
    }

    void trace(boolean on) {
        trace = on;
    }

    long silenceTimeoutMs() {
        return silenceTimeoutMs;
    }

    long heartbeatsSent() {
        return heartbeatsSent;
    }

    long heartbeatsReceived() {
        return heartbeatsReceived;
    }

    long reconnects() {
        return reconnects;
    }

    long malformedFrames() {
        return malformedFrames;
    }

    long lastHeartbeatNs() {
        return lastHeartbeatNs;
    }

    long duplicatesClosed() {
        return duplicatesClosed;
    }

    /** Connections open now (on the loop). */
    int openConnections() {
        return channels.size();
    }

    /** The direction of the connection in use, or null (on the loop). */
    PeerHandler.Direction activeDirection() {
        return active == null ? null : active.direction;
    }

    private void notify(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("peer link: the listener failed in {}; the link goes on", what, e);
        }
    }

    private static byte typeOf(PeerMessage m) {
        if (m instanceof PeerHeartbeat) {
            return PeerWire.HEARTBEAT;
        }
        if (m instanceof PeerAction) {
            return PeerWire.ACTION;
        }
        if (m instanceof PeerMailboxChanged) {
            return PeerWire.MAILBOX_CHANGED;
        }
        return PeerWire.ACTION_RESULT;
    }
}
