package io.vmport.loadtest.admin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The poller's second client: {@code connections} keep-alive HTTP/1.1 connections on one Netty event-loop thread,
 * each sending its next request as soon as the previous answer is in. Unlike {@code java.net.http.HttpClient}
 * (a selector thread and an executor hand-off per request), a request and its answer never change threads here,
 * so on shared cores the figure shows the server's cost rather than the client's scheduling.
 */
final class NettyPoller {

    private NettyPoller() {
    }

    /** Polls until {@code endNs}; answers before {@code measureFromNs} are not counted. */
    static void run(URI base, String path, String token, int connections, Recorder recorder, LongAdder ok,
                    LongAdder failed, LongAdder bytes, long measureFromNs, long endNs) throws InterruptedException {
        EventLoopGroup group = new NioEventLoopGroup(1);
        CountDownLatch done = new CountDownLatch(connections);
        try {
            String host = base.getHost();
            int port = base.getPort() < 0 ? 80 : base.getPort();
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 << 20),
                                        new Poll(host, path, token, recorder, ok, failed, bytes, measureFromNs,
                                                endNs, done));
                            }
                        });
                channels.add(b.connect(host, port).sync().channel());
            }
            long waitNs = endNs - System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            if (!done.await(Math.max(0, waitNs), TimeUnit.NANOSECONDS)) {
                System.err.println("netty poller: " + done.getCount() + " connections still busy past the end");
            }
            channels.forEach(Channel::close);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** One connection's request-answer loop. */
    private static final class Poll extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String host;
        private final String path;
        private final String authorization;
        private final Recorder recorder;
        private final LongAdder ok;
        private final LongAdder failed;
        private final LongAdder bytes;
        private final long measureFromNs;
        private final long endNs;
        private final CountDownLatch done;
        private long sentNs;
        private boolean finished;

        Poll(String host, String path, String token, Recorder recorder, LongAdder ok, LongAdder failed,
             LongAdder bytes, long measureFromNs, long endNs, CountDownLatch done) {
            this.host = host;
            this.path = path;
            this.authorization = "Bearer " + token;
            this.recorder = recorder;
            this.ok = ok;
            this.failed = failed;
            this.bytes = bytes;
            this.measureFromNs = measureFromNs;
            this.endNs = endNs;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx);
        }

        private void send(ChannelHandlerContext ctx) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers().set(HttpHeaderNames.HOST, host)
                    .set(HttpHeaderNames.AUTHORIZATION, authorization)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            sentNs = System.nanoTime();
            ctx.writeAndFlush(request);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            long now = System.nanoTime();
            if (sentNs >= measureFromNs) {
                if (response.status().code() == 200) {
                    ok.increment();
                    bytes.add(response.content().readableBytes());
                    recorder.recordValue(now - sentNs);
                } else {
                    failed.increment();
                }
            }
            if (now >= endNs) {
                finish(ctx);
            } else {
                send(ctx);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!finished && System.nanoTime() < endNs) {
                failed.increment();
            }
            finish(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed.increment();
            ctx.close();
        }

        private void finish(ChannelHandlerContext ctx) {
            if (!finished) {
                finished = true;
                done.countDown();
                ctx.close();
            }
        }
    }
}
