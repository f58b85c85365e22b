package io.vmport.engine.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.vmport.config.ServerName;

import java.util.concurrent.TimeUnit;

/**
 * One TCP connection to the peer (or to whoever connected): hands its frames and its end to the
 * {@link PeerSession}, and remembers what the session needs per connection. After this side decided to close it
 * (or the peer said BYE), everything still arriving is ignored, so one bad connection yields one log line; but a
 * duplicate's frames still go to the session, which may take the actions and answers the peer wrote on it before it
 * read the BYE.
 */
final class PeerHandler extends ChannelInboundHandlerAdapter {

    /** Which side opened the connection. */
    enum Direction { DIALLED, ACCEPTED }

    final Direction direction;
    private final PeerSession session;

    Channel channel;
    /** The peer's HELLO on this connection, null until it arrives. */
    PeerHello hello;
    long openedAtNs;
    /** Why this connection is being closed on purpose (by either side), null while it is in use. */
    PeerBye.Code closeCode;
    String closeReason;
    /** The close reason was logged already: the session does not log it again. */
    boolean closeLogged;

    PeerHandler(PeerSession session, Direction direction) {
        this.session = session;
        this.direction = direction;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        session.opened(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closeReason == null || closeCode == PeerBye.Code.DUPLICATE && !(msg instanceof PeerBye)) {
            session.received(this, (PeerMessage) msg);
        } else if (msg instanceof PeerBye) {
            ctx.close(); // both sides closing: the peer's BYE is the last word
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason != null) {
            return;
        }
        if (cause instanceof DecoderException) {
            session.refuse(this, "malformed frame: " + cause.getMessage());
        } else {
            session.failed(this, cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.closed(this);
        ctx.fireChannelInactive();
    }

    /** Whether this connection is the one the publisher dialled: kept when both exist (see {@link PeerSession}). */
    boolean publisherDialled(ServerName self) {
        return (self == ServerName.PUBLISHER) == (direction == Direction.DIALLED);
    }

    boolean closing() {
        return closeReason != null;
    }

    /**
     * Sends BYE with the reason and closes; only the first call counts. A connection that works (DUPLICATE,
     * STOPPING) is closed gracefully: after the BYE this side shuts its output only and lets the peer close once it
     * has read the BYE, so that a heartbeat the peer writes meanwhile meets no reset that could hide the BYE;
     * {@code lingerMs} later it closes anyway. Others close right after the BYE; at once when the peer does not read.
     */
    void closeWith(PeerBye.Code code, String reason, long lingerMs) {
        if (!markClosing(code, reason) || channel == null) {
            return;
        }
        if (!channel.isActive() || !channel.isWritable()) {
            channel.close();
            return;
        }
        ChannelFuture written = channel.writeAndFlush(new PeerBye(code, reason));
        boolean graceful = code == PeerBye.Code.DUPLICATE || code == PeerBye.Code.STOPPING;
        if (graceful && channel instanceof DuplexChannel duplex) {
            written.addListener(f -> {
                if (f.isSuccess()) {
                    duplex.shutdownOutput();
                } else {
                    channel.close();
                }
            });
            Channel ch = channel;
            channel.eventLoop().schedule(() -> {
                ch.close();
            }, lingerMs, TimeUnit.MILLISECONDS);
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Closes without a BYE (the peer said BYE, or the connection failed). */
    void closeQuietly(PeerBye.Code code, String reason) {
        if (markClosing(code, reason) && channel != null) {
            channel.close();
        }
    }

    private boolean markClosing(PeerBye.Code code, String reason) {
        if (closeReason != null) {
            return false;
        }
        closeCode = code;
        closeReason = reason;
        return true;
    }

    /** e.g. {@code 127.0.0.1:41234 (accepted)}. */
    String label() {
        Object remote = channel == null ? null : channel.remoteAddress();
        return (remote == null ? "?" : remote.toString().replaceFirst("^[^/]*/", "")) + " ("
                + direction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public String toString() {
        return "PeerHandler[" + label() + (hello == null ? ", no HELLO" : ", " + hello.sender().configName())
                + (closeReason == null ? "" : ", closing: " + closeReason) + "]";
    }
}
