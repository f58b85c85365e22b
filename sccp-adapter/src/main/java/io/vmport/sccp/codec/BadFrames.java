package io.vmport.sccp.codec;

import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SPEC BI-2: a bad frame closes that connection, with one log line naming the peer, the frame and why. */
final class BadFrames {
    private static final Logger LOG = LoggerFactory.getLogger(BadFrames.class);

    private BadFrames() {
    }

    static void close(ChannelHandlerContext ctx, Object peer, String messageId, long length, String why) {
        LOG.warn("closing SCCP connection to {}: bad frame (message id {}, length {}): {}",
                peer, messageId, length, why);
        ctx.close();
    }

    static String hex(long id) {
        return String.format("0x%04x", id);
    }
}
