package io.vmport.sccp.sim;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.vmport.sccp.codec.Skinny;
import io.vmport.sccp.codec.Skinny.CallInfo;
import io.vmport.sccp.codec.Skinny.CallState;
import io.vmport.sccp.codec.Skinny.CloseReceiveChannel;
import io.vmport.sccp.codec.Skinny.KeepAliveAck;
import io.vmport.sccp.codec.Skinny.OffHook;
import io.vmport.sccp.codec.Skinny.OnHook;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannel;
import io.vmport.sccp.codec.Skinny.OpenReceiveChannelAck;
import io.vmport.sccp.codec.Skinny.Register;
import io.vmport.sccp.codec.Skinny.RegisterAck;
import io.vmport.sccp.codec.Skinny.RegisterReject;
import io.vmport.sccp.codec.Skinny.SetRinger;
import io.vmport.sccp.codec.Skinny.StartMediaTransmission;
import io.vmport.sccp.codec.Skinny.StopMediaTransmission;
import io.vmport.sccp.codec.Skinny.UnregisterAck;
import io.vmport.sccp.codec.SkinnyCodec;
import io.vmport.sccp.codec.SkinnyMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small phone system for SCCP port devices, for tests, load runs and the demo: accepts registrations of the
 * devices of its hunt list, keeps them alive, and hunts each offered call top-down through the list (SPEC
 * section 3: the subscriber's devices first, then the publisher's), ringing the first idle registered device
 * and moving on when it does not answer within the ring timeout or goes on hook. An answered call gets media
 * (SPEC MD-1, unless {@link SimSettings#media()} is off): OpenReceiveChannel; on its Ack a UDP port for the
 * caller's side ({@link CallerMedia}) and StartMediaTransmission naming it; that port sends the device G.711
 * silence every 20 ms once the device sends (one timer for all calls) and counts the RTP it gets. The caller
 * hangs up after the hold time (CloseReceiveChannel, StopMediaTransmission, on hook). It counts answered and
 * unanswered calls per server, and the media.
 * <p>
 * One thread (its own event loop) owns all its state; the public methods may be called from any thread.
 */
public final class PhoneSystemSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneSystemSimulator.class);
    private static final AttributeKey<Device> DEVICE = AttributeKey.valueOf("vmport.sim.device");
    /** The RTP frame length the simulator asks for and sends. */
    static final int MEDIA_FRAME_MS = 20;
    /** The RFC 4733 DTMF payload type it names in OpenReceiveChannel and StartMediaTransmission, as CUCM does. */
    static final int DTMF_PAYLOAD_TYPE = 101;

    private final SimSettings settings;
    private final Device[] devices;
    private final Map<String, Device> byName = new HashMap<>();
    private final Map<Integer, Call> calls = new HashMap<>();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final List<Channel> listeners = new ArrayList<>();
    private int nextRef = 0x1000;

    private long offered;
    private long answered;
    private long unanswered;
    private long ended;
    private long dropped;
    private long mediaOpened;
    private long mediaRefused;
    private long rtpReceivedClosed;
    private long rtpSentClosed;
    private ScheduledFuture<?> mediaTicker;
    private final Map<String, Long> answeredByServer = new LinkedHashMap<>();
    private final Map<String, Long> notAnsweredByServer = new LinkedHashMap<>();

    /** @param huntList the devices in hunt order; names must be unique */
    public PhoneSystemSimulator(SimSettings settings, List<HuntEntry> huntList) {
        if (settings == null || huntList == null || huntList.isEmpty()) {
            throw new IllegalArgumentException("settings and a non-empty hunt list are required, hunt list: "
                    + huntList);
        }
        this.settings = settings;
        this.devices = new Device[huntList.size()];
        for (int i = 0; i < devices.length; i++) {
            HuntEntry e = huntList.get(i);
            devices[i] = new Device(i, e.deviceName(), e.server());
            if (byName.put(e.deviceName(), devices[i]) != null) {
                throw new IllegalArgumentException("device " + e.deviceName() + " is twice in the hunt list");
            }
            answeredByServer.putIfAbsent(e.server(), 0L);
            notAnsweredByServer.putIfAbsent(e.server(), 0L);
        }
    }

    /**
     * The hunt list of SPEC section 3: {@code subscriberDevices} first, then {@code publisherDevices}, owned by
     * the servers named "subscriber" and "publisher".
     */
    public static List<HuntEntry> subscriberFirst(List<String> subscriberDevices, List<String> publisherDevices) {
        List<HuntEntry> list = new ArrayList<>();
        subscriberDevices.forEach(d -> list.add(new HuntEntry(d, "subscriber")));
        publisherDevices.forEach(d -> list.add(new HuntEntry(d, "publisher")));
        return list;
    }

    /** Listens on {@code address} (port 0 = any free port); returns where it listens. */
    public InetSocketAddress start(InetSocketAddress address) throws InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(3L * settings.keepAliveIntervalS(), 0, 0, TimeUnit.SECONDS));
                        SkinnyCodec.install(ch.pipeline(), settings.maxLength());
                        ch.pipeline().addLast(handler);
                    }
                }).bind(address).sync().channel();
        listeners.add(server);
        if (settings.media() && mediaTicker == null) {
            mediaTicker = group.next().scheduleAtFixedRate(this::tickMedia, MEDIA_FRAME_MS, MEDIA_FRAME_MS,
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("phone-system simulator listens on {} with {} devices in its hunt list", server.localAddress(),
                devices.length);
        return (InetSocketAddress) server.localAddress();
    }

    /** Offers a call; the future completes when a device answers or nobody does. */
    public CompletableFuture<CallOutcome> offerCall(String calling, String called) {
        return offerCall(CallOffer.of(calling, called));
    }

    /** Offers {@code offer}; the future completes when a device answers or nobody does. */
    public CompletableFuture<CallOutcome> offerCall(CallOffer offer) {
        CompletableFuture<CallOutcome> outcome = new CompletableFuture<>();
        group.execute(() -> {
            offered++;
            Call call = new Call(nextRef++, offer, outcome);
            calls.put(call.ref, call);
            hunt(call);
        });
        return outcome;
    }

    /** What it counted so far. */
    public SimCounts counts() {
        return onLoop(() -> {
            long rtpIn = rtpReceivedClosed;
            long rtpOut = rtpSentClosed;
            int open = 0;
            for (Call c : calls.values()) {
                if (c.media != null) {
                    open++;
                    rtpIn += c.media.received();
                    rtpOut += c.media.sent();
                }
            }
            return new SimCounts(offered, answered, unanswered, ended, dropped, Map.copyOf(answeredByServer),
                    Map.copyOf(notAnsweredByServer), registeredCount(), mediaOpened, mediaRefused, open, rtpIn,
                    rtpOut);
        });
    }

    /** Whether {@code deviceName} is registered now. */
    public boolean isRegistered(String deviceName) {
        return onLoop(() -> {
            Device d = byName.get(deviceName);
            return d != null && d.channel != null;
        });
    }

    /** How many devices are registered now. */
    public int registeredCount() {
        if (!group.next().inEventLoop()) {
            return onLoop(this::registeredCount);
        }
        int n = 0;
        for (Device d : devices) {
            if (d.channel != null) {
                n++;
            }
        }
        return n;
    }

    /** Calls offered and not yet ended (ringing or connected). */
    public int callsInProgress() {
        return onLoop(calls::size);
    }

    /** Stops listening and closes every device connection; idempotent. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        listeners.forEach(l -> l.close().syncUninterruptibly());
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- the hunt, on the loop ----

    private void hunt(Call call) {
        for (Device d : devices) {
            if (d.channel != null && d.call == null && !call.tried.get(d.index)) {
                ring(call, d);
                return;
            }
        }
        unanswered++;
        calls.remove(call.ref);
        call.outcome.complete(new CallOutcome(false, null, null, call.tried.cardinality(),
                call.tried.isEmpty() ? "no registered idle device" : "no device answered"));
    }

    private void ring(Call call, Device d) {
        call.tried.set(d.index);
        call.device = d;
        d.call = call;
        Channel ch = d.channel;
        ch.write(new SetRinger(Skinny.RING_OUTSIDE, 1, call.ref));
        ch.write(new CallState(Skinny.CALL_STATE_RING_IN, 1, call.ref));
        String redirecting = call.offer.redirecting();
        ch.writeAndFlush(new CallInfo("", call.offer.calling(), call.offer.called(), 1, call.ref,
                Skinny.CALL_TYPE_INBOUND, redirecting == null ? call.offer.called() : redirecting,
                redirecting == null ? "" : redirecting));
        call.timer = group.next().schedule(() -> notAnswered(call, "no answer within " + settings.ringTimeoutMs()
                + " ms"), settings.ringTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /** The rung device did not answer: stop its ringing, count it, hunt on. */
    private void notAnswered(Call call, String why) {
        Device d = call.device;
        if (d == null || call.connected) {
            return;
        }
        cancel(call.timer);
        d.call = null;
        call.device = null;
        notAnsweredByServer.merge(d.server, 1L, Long::sum);
        if (d.channel != null) {
            d.channel.write(new SetRinger(Skinny.RING_OFF, 1, call.ref));
            d.channel.writeAndFlush(new CallState(Skinny.CALL_STATE_ON_HOOK, 1, call.ref));
        }
        LOG.debug("call {} not answered by {}: {}", call.ref, d.name, why);
        hunt(call);
    }

    private void offHook(Device d, OffHook msg) {
        Call call = d.call;
        if (call == null || call.connected || (msg.callReference() != 0 && msg.callReference() != call.ref)) {
            return;
        }
        cancel(call.timer);
        call.connected = true;
        answered++;
        answeredByServer.merge(d.server, 1L, Long::sum);
        call.outcome.complete(new CallOutcome(true, d.name, d.server, call.tried.cardinality(), "answered"));
        d.channel.write(new SetRinger(Skinny.RING_OFF, 1, call.ref));
        d.channel.write(new CallState(Skinny.CALL_STATE_CONNECTED, 1, call.ref));
        if (settings.media()) {
            d.channel.write(new OpenReceiveChannel(call.ref, call.ref, MEDIA_FRAME_MS, Skinny.PAYLOAD_G711_ULAW_64K,
                    call.ref, DTMF_PAYLOAD_TYPE));
        }
        d.channel.flush();
        long holdTimeMs = call.offer.holdTimeMs() < 0 ? settings.holdTimeMs() : call.offer.holdTimeMs();
        if (holdTimeMs > 0) {
            call.timer = group.next().schedule(() -> callerHangsUp(call), holdTimeMs,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void callerHangsUp(Call call) {
        Device d = call.device;
        if (d == null || d.call != call) {
            return;
        }
        hangUpOn(d, call);
    }

    /** The phone system's side of ending a connected call: media closed, then on hook. */
    private void hangUpOn(Device d, Call call) {
        if (settings.media()) {
            d.channel.write(new CloseReceiveChannel(call.ref, call.ref, call.ref));
            d.channel.write(new StopMediaTransmission(call.ref, call.ref, call.ref));
        }
        d.channel.writeAndFlush(new CallState(Skinny.CALL_STATE_ON_HOOK, 1, call.ref));
        end(call);
    }

    /**
     * The device opened its receive channel: open the caller's side and tell the device to send there. A refusal
     * is counted; the call goes on without media.
     */
    private void receiveChannelOpened(Device d, Channel ch, OpenReceiveChannelAck ack) {
        Call call = d.call;
        if (call == null || !call.connected || call.media != null || ack.callReference() != call.ref) {
            LOG.debug("{} from {}: no call waits for it", ack, d.name);
            return;
        }
        if (ack.status() != Skinny.MEDIA_STATUS_OK || ack.port() == 0) {
            mediaRefused++;
            LOG.info("call {}: {} refused the receive channel: {}", call.ref, d.name, ack);
            return;
        }
        mediaOpened++;
        InetAddress host = ((InetSocketAddress) ch.localAddress()).getAddress();
        CallerMedia media = new CallerMedia(group, host,
                new InetSocketAddress(Skinny.inetAddress(ack.ipV4()), ack.port()), call.ref, call.offer.callerMuLaw());
        call.media = media;
        media.bound().addListener(done -> {
            if (!done.isSuccess()) {
                LOG.warn("call {}: no caller-side RTP port on {}: {}", call.ref, host, done.cause().toString());
            } else if (call.media == media && d.channel == ch) {
                ch.writeAndFlush(new StartMediaTransmission(call.ref, ack.passThruPartyId(), Skinny.ipV4(host),
                        media.localAddress().getPort(), MEDIA_FRAME_MS, Skinny.PAYLOAD_G711_ULAW_64K, call.ref,
                        DTMF_PAYLOAD_TYPE));
            }
        });
    }

    private void tickMedia() {
        for (Call c : calls.values()) {
            if (c.media != null) {
                c.media.tick();
            }
        }
    }

    private void onHook(Device d, OnHook msg) {
        Call call = d.call;
        if (call == null) {
            return;
        }
        if (!call.connected) {
            notAnswered(call, "turned down (on hook while ringing)");
            return;
        }
        hangUpOn(d, call);
    }

    private void end(Call call) {
        cancel(call.timer);
        if (call.media != null) {
            rtpReceivedClosed += call.media.received();
            rtpSentClosed += call.media.sent();
            call.media.close();
            call.media = null;
        }
        if (call.device != null) {
            call.device.call = null;
        }
        call.device = null;
        calls.remove(call.ref);
        ended++;
    }

    /** The device left (unregistered, connection gone): its ringing call hunts on, its connected call drops. */
    private void gone(Device d, String why) {
        d.channel = null;
        Call call = d.call;
        if (call == null) {
            return;
        }
        if (call.connected) {
            dropped++;
            end(call);
        } else {
            notAnswered(call, why);
        }
    }

    // ---- registration, on the loop ----

    private void register(Channel ch, Register reg) {
        Device d = byName.get(reg.deviceName());
        if (d == null) {
            reject(ch, "unknown device " + reg.deviceName());
            return;
        }
        if (d.channel != null && d.channel != ch) {
            reject(ch, "already registered " + reg.deviceName());
            return;
        }
        d.channel = ch;
        ch.attr(DEVICE).set(d);
        ch.writeAndFlush(new RegisterAck(settings.keepAliveIntervalS(), "D/M/Y", settings.keepAliveIntervalS(), 0));
    }

    private static void reject(Channel ch, String text) {
        String t = text.length() > 31 ? text.substring(0, 31) : text;
        ch.writeAndFlush(new RegisterReject(t)).addListener(ChannelFutureListener.CLOSE);
    }

    private void onMessage(Channel ch, SkinnyMessage msg) {
        Device d = ch.attr(DEVICE).get();
        switch (msg.type()) {
            case REGISTER -> register(ch, (Register) msg);
            case KEEP_ALIVE -> ch.writeAndFlush(new KeepAliveAck());
            case UNREGISTER -> {
                if (d != null && d.channel == ch) {
                    gone(d, "unregistered");
                }
                ch.attr(DEVICE).set(null);
                ch.writeAndFlush(new UnregisterAck(0)).addListener(ChannelFutureListener.CLOSE);
            }
            case OFF_HOOK -> {
                if (d != null) {
                    offHook(d, (OffHook) msg);
                }
            }
            case ON_HOOK -> {
                if (d != null) {
                    onHook(d, (OnHook) msg);
                }
            }
            case OPEN_RECEIVE_CHANNEL_ACK -> {
                if (d != null && d.channel == ch) {
                    receiveChannelOpened(d, ch, (OpenReceiveChannelAck) msg);
                }
            }
            default -> LOG.debug("{} from {}: ignored", msg, d != null ? d.name : ch.remoteAddress());
        }
    }

    private void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) {
        try {
            if (group.next().inEventLoop()) {
                return task.call();
            }
            return group.submit(task).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("simulator did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final SimHandler handler = new SimHandler();

    @Sharable
    private final class SimHandler extends SimpleChannelInboundHandler<SkinnyMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SkinnyMessage msg) {
            onMessage(ctx.channel(), msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Device d = ctx.channel().attr(DEVICE).get();
            if (d != null && d.channel == ctx.channel()) {
                gone(d, "connection closed");
            }
            super.channelInactive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                LOG.info("closing silent device connection {}", ctx.channel().remoteAddress());
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("closing device connection {} after an error", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    private static final class Device {
        final int index;
        final String name;
        final String server;
        Channel channel;
        Call call;

        Device(int index, String name, String server) {
            this.index = index;
            this.name = name;
            this.server = server;
        }
    }

    private static final class Call {
        final int ref;
        final CallOffer offer;
        final CompletableFuture<CallOutcome> outcome;
        final BitSet tried = new BitSet();
        Device device;
        boolean connected;
        CallerMedia media;
        ScheduledFuture<?> timer;

        Call(int ref, CallOffer offer, CompletableFuture<CallOutcome> outcome) {
            this.ref = ref;
            this.offer = offer;
            this.outcome = outcome;
        }
    }
}
