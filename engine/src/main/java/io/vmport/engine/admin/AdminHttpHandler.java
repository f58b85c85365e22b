package io.vmport.engine.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to {@link AdminRoutes} and writes the answer when its future completes, on the
 * channel's event loop, so an action that waits for the pipeline never blocks the loop. Keep-alive as the client
 * asks; a request the decoder could not parse is answered 400 and the connection closed. Stateless: shared.
 */
@ChannelHandler.Sharable
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final AdminRoutes routes;
    private final AdminAuth auth;
    private final ConsoleEvents events;

    AdminHttpHandler(AdminRoutes routes, AdminAuth auth, ConsoleEvents events) {
        this.routes = routes;
        this.auth = auth;
        this.events = events;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (ConsoleEvents.isStream(ctx.channel())) {
            return; // an event stream answers nothing more on its connection (the request is released)
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            write(ctx, AdminResponse.error(400, "malformed HTTP request: " + request.decoderResult().cause()), false);
            return;
        }
        String method = request.method().name();
        String uri = request.uri();
        Credentials credentials = new Credentials(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                request.headers().get(HttpHeaderNames.COOKIE), request.headers().get(Credentials.CONSOLE_HEADER));
        if (uri.equals(ConsoleEvents.PATH) || uri.startsWith(ConsoleEvents.PATH + "?")) {
            openEvents(ctx, method, uri, credentials, keepAlive);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        routes.handle(method, uri, credentials, body).whenComplete((response, failure) -> {
            AdminResponse r = failure == null ? response
                    : AdminResponse.error(500, "internal error: " + failure);
            if (ctx.executor().inEventLoop()) {
                write(ctx, r, keepAlive);
            } else {
                ctx.executor().execute(() -> write(ctx, r, keepAlive));
            }
        });
    }

    /** {@code GET /api/events}: the stream, once the request may have it; it never ends. */
    private void openEvents(ChannelHandlerContext ctx, String method, String uri, Credentials credentials,
                            boolean keepAlive) {
        AdminResponse refusal;
        if (!method.equals("GET")) {
            refusal = AdminRoutes.notAllowed(method, "GET");
        } else if (!uri.equals(ConsoleEvents.PATH)) {
            refusal = AdminResponse.error(400, "unknown query parameter in " + uri + "; this request takes none");
        } else {
            refusal = auth.refusal(method, credentials);
        }
        if (refusal != null) {
            write(ctx, refusal, keepAlive);
            return;
        }
        events.open(ctx.channel(), auth.bearer().accepts(credentials.authorization()) ? null
                : ConsoleSessions.idFrom(credentials.cookie()));
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse r, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            response.headers().set(h.getKey(), h.getValue());
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
