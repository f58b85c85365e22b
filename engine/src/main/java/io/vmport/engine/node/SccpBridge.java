package io.vmport.engine.node;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.media.MediaPlane;
import io.vmport.engine.pipeline.CallReply;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.ports.PortOwner;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.routing.RefuseCause;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.station.IncomingCall;
import io.vmport.sccp.station.MediaEndpoint;
import io.vmport.sccp.station.MediaStart;
import io.vmport.sccp.station.SccpStations;
import io.vmport.sccp.station.StationListener;
import io.vmport.sccp.station.StationSession;
import io.vmport.sccp.station.StationSettings;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins this server's SCCP port devices to the pipeline (SPEC CA-3, CA-4): one station session per own port,
 * named as the port plan names it. Registration and its loss become device (un)registered events; a ringing
 * call becomes an offer with the device's global port index as {@code portHint}; off hook and the end of a call
 * become answered/ended events. With a media plane each answered call gets its own RTP session through
 * OpenReceiveChannel/StartMediaTransmission ({@link SccpMedia}, SPEC MD-1), handed to the {@link SccpMediaHook}
 * once connected; without one the devices announce no media of their own, as before. When this server must not
 * take calls (Stop Taking Calls, or a status that answers none) its devices unregister, so the phone system's
 * hunt list skips them; calls in progress finish first; Take Calls registers them again.
 *
 * <p>Station events arrive on the sessions' event loops; replies come on the pipeline's reply thread and only
 * hand work to those loops, never publish.
 */
final class SccpBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SccpBridge.class);
    /** How often the taking-calls flag and status are checked. */
    static final long POLL_MS = 100;

    private final ServerName self;
    private final Pipeline pipeline;
    private final InetSocketAddress phoneSystem;
    private final NioEventLoopGroup group;
    private final List<StationSession> sessions = new ArrayList<>();
    private ScheduledFuture<?> poll;
    private boolean started;
    private boolean registered;

    /**
     * @param media the node's media plane, read at each OpenReceiveChannel (it starts after this bridge is made;
     *              null from it refuses the channel), or null for no media at all
     * @param hook  attaches the conversation of each call once its media is connected
     */
    SccpBridge(ServerName self, PortPlan plan, Pipeline pipeline, InetSocketAddress phoneSystem,
               StationSettings settings, Supplier<MediaPlane> media, SccpMediaHook hook) {
        if (hook == null) {
            throw new IllegalArgumentException("hook is required (SccpMediaHook.NONE for no conversation)");
        }
        this.self = self;
        this.pipeline = pipeline;
        this.phoneSystem = phoneSystem;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("vmport-" + self.configName() + "-sccp",
                true));
        SccpStations stations = new SccpStations(group, phoneSystem, settings, SkinnyCodec.DEFAULT_MAX_LENGTH);
        PortOwner owner = PortOwner.of(self);
        int first = plan.firstIndex(owner);
        for (int i = first; i < first + plan.count(owner); i++) {
            sessions.add(stations.create(plan.port(i).name(),
                    new Device(i, media == null ? null : new SccpMedia(media, hook, i))));
        }
    }

    /** Starts checking whether to take calls; the devices register once this server takes them. */
    void start() {
        poll = group.next().scheduleWithFixedDelay(this::followTakingCalls, 0, POLL_MS, TimeUnit.MILLISECONDS);
        LOG.info("{}: {} SCCP port devices register with the phone system at {} while this server takes calls",
                self.configName(), sessions.size(), phoneSystem);
    }

    /** Where the devices register. */
    InetSocketAddress phoneSystem() {
        return phoneSystem;
    }

    private void followTakingCalls() {
        try {
            ClusterView view = pipeline.clusterView();
            boolean take = view != null && view.status(self).answersCalls() && view.server(self).takingCalls();
            if (take && !started) {
                started = true;
                registered = true;
                sessions.forEach(StationSession::start);
            } else if (started && take != registered) {
                registered = take;
                LOG.info("{}: {} its {} SCCP port devices ({})", self.configName(),
                        take ? "registers" : "unregisters", sessions.size(), take ? "takes calls"
                                : "does not take calls; calls in progress finish first");
                sessions.forEach(take ? StationSession::register : StationSession::unregister);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: checking whether to take SCCP calls failed: {}", self.configName(), e.toString());
        }
    }

    /** Unregisters nothing: closes every device connection, as a node that stops. */
    @Override
    public void close() {
        if (poll != null) {
            poll.cancel(false);
        }
        sessions.forEach(StationSession::stop);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void publish(Runnable r) {
        try {
            r.run();
        } catch (IllegalStateException stopping) {
            LOG.debug("{}: SCCP event not published: {}", self.configName(), stopping.getMessage());
        }
    }

    /** What the router took on: the call reference, call id and parties of the call it answered on this port. */
    private record Claim(int callReference, String callId, IncomingCall incoming) {
    }

    /** One port device: its station's events, for its global port index. */
    private final class Device implements StationListener {
        private final int port;
        private final SccpMedia media;
        private volatile Claim claim;

        Device(int port, SccpMedia media) {
            this.port = port;
            this.media = media;
        }

        @Override
        public MediaEndpoint openMedia(StationSession s, int callReference, int payload) {
            if (media == null) {
                return null;
            }
            Claim c = claim;
            boolean claimed = c != null && c.callReference() == callReference;
            return media.open(s, callReference, claimed ? c.callId() : s.deviceName() + ":" + callReference,
                    claimed ? c.incoming() : null);
        }

        @Override
        public void startMedia(StationSession s, int callReference, MediaStart start) {
            if (media != null) {
                media.start(callReference, start);
            }
        }

        @Override
        public void closeMedia(StationSession s, int callReference, String reason) {
            if (media != null) {
                media.close(callReference, reason);
            }
        }

        @Override
        public void registered(StationSession s) {
            publish(() -> pipeline.producer().deviceRegistered(port));
        }

        @Override
        public void unregistered(StationSession s, String reason) {
            LOG.debug("{}: {} unregistered: {}", self.configName(), s.deviceName(), reason);
            publish(() -> pipeline.producer().deviceUnregistered(port));
        }

        @Override
        public void ringing(StationSession s, IncomingCall call) {
            String callId = s.deviceName() + ":" + call.callReference();
            String redirecting = call.redirecting().isEmpty() ? null : call.redirecting();
            boolean offered;
            try {
                offered = pipeline.producer().tryOffer(self, port, callId, call.calling(), call.called(),
                        redirecting, redirecting == null ? CallReason.DIRECT : CallReason.FORWARDED_OTHER,
                        new Reply(s, this, call, callId));
            } catch (RuntimeException e) {
                LOG.warn("{}: offer of SCCP call {} failed: {}", self.configName(), callId, e.toString());
                offered = false;
            }
            if (!offered) {
                s.hangUp(call.callReference()); // turned down: the hunt list moves on
            }
        }

        @Override
        public void answered(StationSession s, int callReference) {
            Claim c = claim;
            if (c != null && c.callReference() == callReference) {
                publish(() -> pipeline.producer().answered(port, c.callId()));
            }
        }

        @Override
        public void callEnded(StationSession s, int callReference, String reason) {
            closeMedia(s, callReference, reason);
            Claim c = claim;
            if (c != null && c.callReference() == callReference) {
                claim = null;
                publish(() -> pipeline.producer().ended(port, c.callId()));
            }
        }
    }

    /** The engine's handle on one SCCP call; called on the reply thread, hands everything to the station. */
    private static final class Reply implements CallReply {
        private final StationSession session;
        private final Device device;
        private final IncomingCall incoming;
        private final int callReference;
        private final String callId;

        Reply(StationSession session, Device device, IncomingCall incoming, String callId) {
            this.session = session;
            this.device = device;
            this.incoming = incoming;
            this.callReference = incoming.callReference();
            this.callId = callId;
        }

        @Override
        public void answer(int portIndex) {
            device.claim = new Claim(callReference, callId, incoming);
            session.answer(callReference);
        }

        @Override
        public void redirect(ServerName to) {
            session.hangUp(callReference); // SCCP has no redirect: the hunt list moves on
        }

        @Override
        public void refuse(RefuseCause cause) {
            session.hangUp(callReference);
        }

        @Override
        public void hangUp() {
            session.hangUp(callReference);
        }
    }
}
