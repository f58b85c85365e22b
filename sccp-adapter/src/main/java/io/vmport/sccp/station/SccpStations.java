package io.vmport.sccp.station;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vmport.sccp.codec.SkinnyCodec;
import java.net.InetSocketAddress;

/**
 * Makes station sessions that connect to one phone system over TCP, sharing one NIO event-loop group. Each
 * session keeps one event loop of the group for all its connections.
 */
public final class SccpStations {
    private final EventLoopGroup group;
    private final InetSocketAddress phoneSystem;
    private final StationSettings settings;
    private final int maxLength;

    /**
     * @param group       an NIO event-loop group, owned by the caller
     * @param phoneSystem where the phone system listens (TCP 2000 by default)
     * @param settings    how sessions behave
     * @param maxLength   the largest Skinny length field accepted (SPEC BI-2)
     */
    public SccpStations(EventLoopGroup group, InetSocketAddress phoneSystem, StationSettings settings,
            int maxLength) {
        if (group == null || phoneSystem == null || settings == null) {
            throw new IllegalArgumentException("group, phoneSystem and settings are required; phoneSystem="
                    + phoneSystem);
        }
        this.group = group;
        this.phoneSystem = phoneSystem;
        this.settings = settings;
        this.maxLength = maxLength;
    }

    /** A new session for {@code deviceName}, not started. */
    public StationSession create(String deviceName, StationListener listener) {
        EventLoop loop = group.next();
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.registerTimeoutMs());
        StationConnector connector = (ChannelHandler handler) -> bootstrap.clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SkinnyCodec.install(ch.pipeline(), maxLength);
                        ch.pipeline().addLast("station", handler);
                    }
                }).connect(phoneSystem);
        return new StationSession(deviceName, settings, connector, loop, listener);
    }
}
