package io.vmport.engine.voice;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.vmport.config.ClusterSettings;
import io.vmport.config.MediaConfig;
import io.vmport.config.ServerName;
import io.vmport.engine.conversation.CallInfo;
import io.vmport.engine.conversation.ConversationSettings;
import io.vmport.engine.conversation.MessageStore;
import io.vmport.engine.media.MediaCounters;
import io.vmport.engine.media.MediaException;
import io.vmport.engine.media.MediaPlane;
import io.vmport.engine.media.MediaSession;
import io.vmport.engine.media.MediaSettings;
import io.vmport.engine.pipeline.ConversationChange;
import io.vmport.engine.ports.PortPlan;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's voice (SPEC section 7): its media plane and the {@link VoiceCall} of every answered call, by port
 * index. A bridge {@link #open opens} a call's media session before it answers, so that the answer names the
 * session's port (MD-1), {@link VoiceCall#start starts} its conversation once the media is connected, and reports
 * the call's end with {@link #ended}, which ends the conversation and closes the session. Thread-safe.
 *
 * <p>Conversations run on a few lanes (single-threaded executors, {@value #LANES} per node, each call pinned to
 * one), never on the media event loops: they read the message store, which may block.
 */
public final class VoicePorts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VoicePorts.class);
    static final int LANES = 4;

    /** Where each change of a call's conversation goes: the port monitor (MD-6). */
    public interface ConversationMonitor {
        void changed(int portIndex, String callId, ConversationChange change);
    }

    private final ServerName self;
    private final PortPlan plan;
    private final MediaSettings settings;
    private final ConversationSettings conversationSettings;
    private final MessageStore store;
    private final ConversationMonitor monitor;
    private final AtomicReferenceArray<VoiceCall> calls;
    private final EventExecutorGroup lanes;
    private final VoiceLane[] laneTicks;
    private final AtomicInteger nextLane = new AtomicInteger();
    private volatile MediaPlane plane;

    /**
     * @param cluster the cluster's settings: recording limits (MD-4) and the media timeout (MD-5)
     * @param store   mailboxes and messages (MS-1, MS-2)
     * @param monitor where conversation changes go (MD-6)
     */
    public VoicePorts(ServerName self, MediaConfig media, PortPlan plan, ClusterSettings cluster, MessageStore store,
                      ConversationMonitor monitor) {
        this.self = self;
        this.plan = plan;
        this.settings = new MediaSettings(media.host(), media.firstRtpPort(), media.lastRtpPort(),
                MediaSettings.DEFAULT_EVENT_LOOPS, TimeUnit.SECONDS.toMillis(cluster.mediaTimeoutSeconds()));
        this.conversationSettings = ConversationSettings.from(cluster);
        this.store = store;
        this.monitor = monitor;
        this.calls = new AtomicReferenceArray<>(plan.size());
        this.lanes = new DefaultEventExecutorGroup(LANES, new DefaultThreadFactory("vmport-" + self.configName()
                + "-voice", true));
        List<VoiceLane> each = new ArrayList<>();
        for (EventExecutor executor : lanes) {
            each.add(new VoiceLane(executor));
        }
        this.laneTicks = each.toArray(VoiceLane[]::new);
    }

    /**
     * Binds nothing yet: starts the media plane's event loops and pacers.
     *
     * @throws VoiceStartException naming the host, the range and the cause
     */
    public synchronized void start() {
        if (plane != null) {
            throw new IllegalStateException(self.configName() + ": the media plane on " + range() + " runs already");
        }
        try {
            plane = MediaPlane.start(settings);
        } catch (MediaException | IllegalArgumentException e) {
            throw new VoiceStartException(self.configName() + ": cannot start the media plane on " + range() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Opens the media session of the call answered on {@code portIndex}, on a free port of the range. Blocks for the
     * bind, briefly.
     *
     * @param caller      the calling number, or null
     * @param redirecting the redirecting number (a forwarded call's mailbox), or null
     * @param called      the called number, or null
     * @param hangUp      ends the call from this side (SIP BYE, SCCP on hook): when the conversation is over, or
     *                    the caller sends no RTP for the media timeout (MD-5); called on a voice lane
     * @throws MediaException when the plane is not running or no port of the range is free
     */
    public VoiceCall open(int portIndex, String callId, String caller, String redirecting, String called,
                          Runnable hangUp) {
        MediaPlane p = plane;
        if (p == null) {
            throw new MediaException(self.configName() + ": no media plane runs on " + range() + " (call " + callId
                    + ")");
        }
        VoiceCall call = newCall(portIndex, callId, caller, redirecting, called, hangUp);
        call.attach(p.open(callId, call));
        register(call);
        return call;
    }

    /**
     * The voice of a call whose media session another part opened and connected, e.g. an SCCP call's (its
     * OpenReceiveChannel and StartMediaTransmission handled by the SCCP side): the returned call is the session's
     * {@link io.vmport.engine.media.MediaListener} from now on, and its conversation starts at once. Its end is
     * reported with {@link #ended}, as for any call.
     */
    public VoiceCall attach(int portIndex, String callId, MediaSession session, String caller, String redirecting,
                            String called, Runnable hangUp) {
        VoiceCall call = newCall(portIndex, callId, caller, redirecting, called, hangUp);
        call.attach(session);
        register(call);
        call.start();
        return call;
    }

    private VoiceCall newCall(int portIndex, String callId, String caller, String redirecting, String called,
                              Runnable hangUp) {
        CallInfo info = new CallInfo(blankToNull(caller), blankToNull(redirecting), blankToNull(called),
                self.configName(), plan.port(portIndex).name(), System.currentTimeMillis());
        return new VoiceCall(this, portIndex, callId, info, hangUp,
                laneTicks[Math.floorMod(nextLane.getAndIncrement(), laneTicks.length)]);
    }

    private void register(VoiceCall call) {
        VoiceCall before = calls.getAndSet(call.portIndex(), call);
        if (before != null) {
            LOG.warn("{}: port {} took call {} while call {} still had media; closing that", self.configName(),
                    call.portIndex(), call.callId(), before.callId());
            before.ended();
        }
    }

    /** The call on {@code portIndex} ended (BYE, CANCEL, on hook, failure): its media session closes. */
    public void ended(int portIndex, String callId) {
        VoiceCall call = calls.get(portIndex);
        if (call != null && call.callId().equals(callId) && calls.compareAndSet(portIndex, call, null)) {
            call.ended();
        }
    }

    ConversationSettings conversationSettings() {
        return conversationSettings;
    }

    MessageStore store() {
        return store;
    }

    void conversationChanged(int portIndex, String callId, ConversationChange change) {
        try {
            monitor.changed(portIndex, callId, change);
        } catch (IllegalStateException stopping) {
            LOG.debug("{}: conversation change of call {} not published: {}", self.configName(), callId,
                    stopping.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The call with media on {@code portIndex}, or null. */
    public VoiceCall call(int portIndex) {
        return calls.get(portIndex);
    }

    /** The running media plane (for a part that opens its own sessions, e.g. the SCCP side), or null. */
    public MediaPlane plane() {
        return plane;
    }

    /** The media plane's counters, for {@code /metrics}; null before {@link #start}. */
    public MediaCounters counters() {
        MediaPlane p = plane;
        return p == null ? null : p.counters();
    }

    /**
     * Adds the media plane's counters to {@code registry} ({@code /metrics}): {@code vmport_media_sessions_open},
     * and the totals {@code vmport_media_packets_in_total}, {@code ..._out}, {@code ..._garbage},
     * {@code ..._wrong_source}, {@code ..._wrong_payload_type}, {@code vmport_media_frames_late_or_lost_total},
     * {@code vmport_media_dtmf_digits_total}, {@code vmport_media_send_overruns_total},
     * {@code vmport_media_port_bind_failures_total}, {@code vmport_media_timeouts_total} (MD-5),
     * {@code vmport_media_pacer_restarts_total}. Each reads 0 while the plane is not running.
     */
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("vmport.media.sessions.open", this, v -> read(v, MediaCounters::sessionsOpen))
                .description("media sessions open: calls with an RTP port (MD-1)").register(registry);
        total(registry, "packets.in", "UDP packets received on RTP ports, good or not", MediaCounters::packetsIn);
        total(registry, "packets.out", "RTP packets sent (MD-2)", MediaCounters::packetsOut);
        total(registry, "packets.garbage", "received packets that are not RTP, ignored", MediaCounters::garbage);
        total(registry, "packets.wrong.source", "RTP from another address than the call's, dropped",
                MediaCounters::wrongSource);
        total(registry, "packets.wrong.payload.type", "RTP of a payload type not negotiated, dropped",
                MediaCounters::wrongPayloadType);
        total(registry, "frames.late.or.lost", "recorded frames late, doubled or missing",
                MediaCounters::lateOrLost);
        total(registry, "dtmf.digits", "RFC 4733 digits taken (MD-4)", MediaCounters::digits);
        total(registry, "send.overruns", "frames not sent: the socket buffer was full", MediaCounters::sendOverruns);
        total(registry, "port.bind.failures", "RTP ports skipped: held by something else",
                MediaCounters::portBindFailures);
        total(registry, "timeouts", "calls ended for sending no RTP (MD-5)", MediaCounters::mediaTimeouts);
        total(registry, "pacer.restarts", "times a pacer fell behind and restarted", MediaCounters::pacerRestarts);
    }

    private void total(MeterRegistry registry, String name, String description, ToLongFunction<MediaCounters> c) {
        FunctionCounter.builder("vmport.media." + name, this, v -> read(v, c)).description(description)
                .register(registry);
    }

    private static double read(VoicePorts voice, ToLongFunction<MediaCounters> counter) {
        MediaCounters c = voice.counters();
        return c == null ? 0 : counter.applyAsLong(c);
    }

    /**
     * Ends every call's conversation, stops the plane (which reports the recordings still in progress), then lets
     * the lanes store those messages and stops them. Idempotent.
     */
    @Override
    public synchronized void close() {
        for (int i = 0; i < calls.length(); i++) {
            VoiceCall call = calls.getAndSet(i, null);
            if (call != null) {
                call.ended();
            }
        }
        MediaPlane p = plane;
        plane = null;
        if (p != null) {
            p.close();
        }
        lanes.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private String range() {
        return settings.host() + " ports " + settings.firstPort() + "-" + settings.lastPort();
    }
}
