package io.vmport.sccp.station;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vmport.sccp.codec.Skinny;
import io.vmport.sccp.codec.Skinny.CallInfo;
import io.vmport.sccp.codec.Skinny.CallState;
import io.vmport.sccp.codec.Skinny.KeepAlive;
import io.vmport.sccp.codec.Skinny.OffHook;
import io.vmport.sccp.codec.Skinny.OnHook;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannel;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannelAck;
import io.vmport.sccp.codec.Skinny.Register;
import io.vmport.sccp.codec.Skinny.RegisterAck;
import io.vmport.sccp.codec.Skinny.RegisterReject;
import io.vmport.sccp.codec.Skinny.Unregister;
import io.vmport.sccp.codec.SkinnyMessage;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port device's session with the phone system (SPEC CA-3): connects, registers, keeps alive at the interval
 * the RegisterAck gives, reconnects with backoff when the connection drops, reports a ringing call, answers by
 * going off hook, ends on hook, and acknowledges the phone system's media requests. {@link #unregister()} takes
 * the device out of the hunt list (SPEC CA-4; a call in progress finishes first), {@link #register()} puts it
 * back.
 * <p>
 * All state lives on one event loop: the commands may be called from any thread and run there.
 */
public final class StationSession {
    private static final Logger LOG = LoggerFactory.getLogger(StationSession.class);
    private static final int NONE = -1;

    private final String deviceName;
    private final StationSettings settings;
    private final StationConnector connector;
    private final EventExecutor loop;
    private final StationListener listener;

    private volatile StationState state = StationState.STOPPED;
    private volatile String reason = "not started";
    private boolean wantRegistered;
    private Channel channel;
    private int failures;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> keepAlive;
    private int unackedKeepAlives;
    private int ringingRef = NONE;
    private int line;
    private CallInfo info;

    StationSession(String deviceName, StationSettings settings, StationConnector connector, EventExecutor loop,
            StationListener listener) {
        new Register(deviceName, 1, 0, Skinny.DEVICE_TYPE_VOICE_MAIL_PORT, 1); // fails fast on a bad name
        if (settings == null || connector == null || loop == null || listener == null) {
            throw new IllegalArgumentException("settings, connector, loop and listener are required for "
                    + deviceName);
        }
        this.deviceName = deviceName;
        this.settings = settings;
        this.connector = connector;
        this.loop = loop;
        this.listener = listener;
    }

    /** The device name it registers with. */
    public String deviceName() {
        return deviceName;
    }

    /** Where it stands now. */
    public StationState state() {
        return state;
    }

    /** Why it changed to its state last. */
    public String reason() {
        return reason;
    }

    /** Connects and registers; from then on it reconnects by itself until {@link #stop()}. */
    public void start() {
        onLoop(() -> {
            if (state == StationState.STOPPED) {
                wantRegistered = true;
                failures = 0;
                connect("started");
            }
        });
    }

    /**
     * Answers the ringing call {@code callReference} by going off hook; the listener hears
     * {@link StationListener#answered}, or {@link StationListener#callEnded} when the call is no longer ringing
     * here (the caller gave up, the phone system hunted on, the connection dropped).
     */
    public void answer(int callReference) {
        onLoop(() -> {
            if (state != StationState.RINGING || callReference != ringingRef) {
                LOG.debug("{}: answer of call {} fails in {} (ringing {})", deviceName, callReference, state,
                        ringingRef);
                notifyCallEnded(callReference, "not ringing here any more when answered");
                return;
            }
            channel.writeAndFlush(new OffHook(line, callReference));
            transition(StationState.IN_CALL, "answered call " + callReference);
            try {
                listener.answered(this, callReference);
            } catch (RuntimeException e) {
                LOG.warn("{}: listener failed on answered", deviceName, e);
            }
        });
    }

    /**
     * Goes on hook: ends the call {@code callReference} in progress, or turns down a ringing one so that the
     * phone system hunts on. The listener hears {@link StationListener#callEnded}.
     */
    public void hangUp(int callReference) {
        onLoop(() -> {
            boolean ours = (state == StationState.IN_CALL || state == StationState.RINGING)
                    && callReference == ringingRef;
            if (!ours) {
                LOG.debug("{}: hang up of call {} ignored in {} (call {})", deviceName, callReference, state,
                        ringingRef);
                return;
            }
            channel.writeAndFlush(new OnHook(line, callReference));
            clearCall();
            transition(StationState.REGISTERED, "on hook, call " + callReference);
            notifyCallEnded(callReference, "on hook");
            unregisterIfWanted();
        });
    }

    /**
     * Unregisters (SPEC CA-3, CA-4), so that the hunt list skips this device; a call in progress finishes
     * first. It stays unregistered until {@link #register()}.
     */
    public void unregister() {
        onLoop(() -> {
            wantRegistered = false;
            switch (state) {
                case REGISTERED, RINGING -> sendUnregister();
                case CONNECTING, REGISTERING, BACKING_OFF -> {
                    closeConnection();
                    transition(StationState.UNREGISTERED, "unregistered on command before registering");
                }
                default -> {
                    // IN_CALL: unregisters when the call ends; UNREGISTERING, UNREGISTERED, STOPPED: nothing to do
                }
            }
        });
    }

    /** Registers again after {@link #unregister()} (Take Calls). */
    public void register() {
        onLoop(() -> {
            wantRegistered = true;
            if (state == StationState.UNREGISTERED) {
                failures = 0;
                connect("registered on command");
            }
        });
    }

    /** Closes the connection for good: no reconnect. */
    public void stop() {
        onLoop(() -> {
            wantRegistered = false;
            if (state == StationState.STOPPED) {
                return;
            }
            boolean wasRegistered = state.isRegistered() || state == StationState.UNREGISTERING;
            closeConnection();
            clearCall();
            transition(StationState.STOPPED, "stopped");
            if (wasRegistered) {
                notifyUnregistered("stopped");
            }
        });
    }

    // ---- connection events, on the loop ----

    private void connect(String why) {
        transition(StationState.CONNECTING, why);
        ChannelFuture f = connector.connect(new Handler());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                onLoop(() -> {
                    if (state == StationState.CONNECTING) {
                        backOff("connect failed: " + done.cause());
                    }
                });
            }
        });
    }

    void onConnected(Channel ch) {
        if (ch == channel) {
            return;
        }
        if (state != StationState.CONNECTING || channel != null) {
            ch.close();
            return;
        }
        channel = ch;
        transition(StationState.REGISTERING, "connected to " + ch.remoteAddress());
        ch.writeAndFlush(new Register(deviceName, 1, ipV4(ch), Skinny.DEVICE_TYPE_VOICE_MAIL_PORT, 1));
        timer = loop.schedule(() -> {
            if (state == StationState.REGISTERING && channel == ch) {
                drop("no RegisterAck within " + settings.registerTimeoutMs() + " ms");
            }
        }, settings.registerTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    void onDisconnected(Channel ch) {
        if (ch != channel) {
            return;
        }
        channel = null;
        if (state == StationState.UNREGISTERING) {
            finishUnregister("connection closed while unregistering");
            return;
        }
        lost("connection lost");
    }

    void onMessage(Channel ch, SkinnyMessage msg) {
        if (ch != channel) {
            return;
        }
        switch (msg.type()) {
            case REGISTER_ACK -> registered((RegisterAck) msg);
            case REGISTER_REJECT -> {
                if (state == StationState.REGISTERING) {
                    drop("registration rejected: " + ((RegisterReject) msg).text());
                }
            }
            case KEEP_ALIVE_ACK -> unackedKeepAlives = 0;
            case UNREGISTER_ACK -> {
                if (state == StationState.UNREGISTERING) {
                    finishUnregister("unregistered on command");
                }
            }
            case CALL_STATE -> callState((CallState) msg);
            case CALL_INFO -> {
                info = (CallInfo) msg;
                ringIfComplete();
            }
            case OPEN_RECEIVE_CHANNEL -> {
                OpenReceiveChannel open = (OpenReceiveChannel) msg;
                ch.writeAndFlush(new OpenReceiveChannelAck(0, ipV4(ch), settings.mediaPort(),
                        open.passThruPartyId(), open.callReference()));
            }
            default -> LOG.debug("{}: {} in {}", deviceName, msg, state);
        }
    }

    private void registered(RegisterAck ack) {
        if (state != StationState.REGISTERING) {
            return;
        }
        cancel(timer);
        failures = 0;
        unackedKeepAlives = 0;
        transition(StationState.REGISTERED, "RegisterAck, keep-alive every " + ack.keepAliveIntervalS() + " s");
        Channel ch = channel;
        keepAlive = loop.scheduleAtFixedRate(() -> keepAlive(ch), ack.keepAliveIntervalS(),
                ack.keepAliveIntervalS(), TimeUnit.SECONDS);
        try {
            listener.registered(this);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed on registered", deviceName, e);
        }
        if (!wantRegistered) {
            sendUnregister();
        }
    }

    private void keepAlive(Channel ch) {
        if (ch != channel) {
            return;
        }
        if (unackedKeepAlives >= settings.missedKeepAlives()) {
            drop("no KeepAliveAck for " + unackedKeepAlives + " keep-alives");
            return;
        }
        unackedKeepAlives++;
        ch.writeAndFlush(new KeepAlive());
    }

    private void callState(CallState cs) {
        switch (cs.callState()) {
            case Skinny.CALL_STATE_RING_IN -> {
                if (state == StationState.REGISTERED && ringingRef == NONE) {
                    ringingRef = cs.callReference();
                    line = cs.lineInstance();
                    ringIfComplete();
                }
            }
            case Skinny.CALL_STATE_ON_HOOK -> {
                if (cs.callReference() == ringingRef
                        && (state == StationState.RINGING || state == StationState.IN_CALL)) {
                    clearCall();
                    transition(StationState.REGISTERED, "phone system ended call " + cs.callReference());
                    notifyCallEnded(cs.callReference(), "ended by the phone system");
                    unregisterIfWanted();
                } else if (cs.callReference() == ringingRef) {
                    clearCall();
                }
            }
            default -> {
                // CONNECTED and the rest: nothing to do
            }
        }
    }

    private void ringIfComplete() {
        if (state != StationState.REGISTERED || ringingRef == NONE || info == null
                || info.callReference() != ringingRef) {
            return;
        }
        CallInfo ci = info;
        String redirecting = !ci.lastRedirectingParty().isEmpty() ? ci.lastRedirectingParty()
                : ci.originalCalledParty();
        transition(StationState.RINGING, "rung, call " + ringingRef + " from " + ci.callingParty());
        IncomingCall call = new IncomingCall(ringingRef, line, ci.callingParty(), ci.callingPartyName(),
                ci.calledParty(), redirecting);
        try {
            listener.ringing(this, call);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed on ringing {}", deviceName, call, e);
        }
    }

    // ---- helpers, on the loop ----

    private void sendUnregister() {
        clearCall();
        channel.writeAndFlush(new Unregister(0));
        transition(StationState.UNREGISTERING, "unregistering on command");
        Channel ch = channel;
        timer = loop.schedule(() -> {
            if (state == StationState.UNREGISTERING && channel == ch) {
                finishUnregister("no UnregisterAck within " + settings.unregisterTimeoutMs() + " ms; closed");
            }
        }, settings.unregisterTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    private void finishUnregister(String why) {
        closeConnection();
        transition(StationState.UNREGISTERED, why);
        notifyUnregistered(why);
        if (wantRegistered) {
            failures = 0;
            connect("registered on command while unregistering");
        }
    }

    private void unregisterIfWanted() {
        if (!wantRegistered && state == StationState.REGISTERED) {
            sendUnregister();
        }
    }

    /** Our side gives up on the connection (refused, silent): close it and try again later. */
    private void drop(String why) {
        closeConnection();
        lost(why);
    }

    private void lost(String why) {
        boolean wasRegistered = state.isRegistered();
        int call = ringingRef;
        boolean hadCall = state == StationState.RINGING || state == StationState.IN_CALL;
        cancel(timer);
        cancel(keepAlive);
        clearCall();
        if (state == StationState.REGISTERING || wasRegistered || state == StationState.CONNECTING) {
            backOff(why);
        }
        if (hadCall) {
            notifyCallEnded(call, why);
        }
        if (wasRegistered) {
            notifyUnregistered(why);
        }
    }

    private void backOff(String why) {
        failures++;
        long waitMs = settings.backoffMs(failures);
        transition(StationState.BACKING_OFF, why + "; connecting again in " + waitMs + " ms (attempt "
                + (failures + 1) + ")");
        timer = loop.schedule(() -> {
            if (state != StationState.BACKING_OFF) {
                return;
            }
            if (wantRegistered) {
                connect("backoff over");
            } else {
                transition(StationState.UNREGISTERED, "unregistered while backing off");
            }
        }, waitMs, TimeUnit.MILLISECONDS);
    }

    private void closeConnection() {
        cancel(timer);
        cancel(keepAlive);
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }

    private void clearCall() {
        ringingRef = NONE;
        info = null;
    }

    private void notifyUnregistered(String why) {
        try {
            listener.unregistered(this, why);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed on unregistered", deviceName, e);
        }
    }

    private void notifyCallEnded(int callReference, String why) {
        try {
            listener.callEnded(this, callReference, why);
        } catch (RuntimeException e) {
            LOG.warn("{}: listener failed on call ended", deviceName, e);
        }
    }

    private void transition(StationState to, String why) {
        StationState from = state;
        if (!from.mayBecome(to)) {
            throw new IllegalStateException(deviceName + ": " + from + " -> " + to + " is not allowed (" + why
                    + "; last: " + reason + ")");
        }
        state = to;
        reason = why;
        LOG.debug("{}: {} -> {}: {}", deviceName, from, to, why);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private static int ipV4(Channel ch) {
        if (ch.localAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().getAddress().length == 4) {
            byte[] b = a.getAddress().getAddress();
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }
        return 0;
    }

    @Override
    public String toString() {
        return "StationSession[" + deviceName + " " + state + ": " + reason + "]";
    }

    /** The end of one connection's pipeline: hands its events to the session. */
    private final class Handler extends SimpleChannelInboundHandler<SkinnyMessage> {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive()) {
                onConnected(ctx.channel());
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            onConnected(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            onDisconnected(ctx.channel());
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SkinnyMessage msg) {
            onMessage(ctx.channel(), msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("{}: closing the connection to {} after an error in {}", deviceName,
                    ctx.channel().remoteAddress(), state, cause);
            ctx.close();
        }
    }
}
