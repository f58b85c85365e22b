package io.vmport.sccp.codec;

import io.netty.channel.ChannelPipeline;

/** Puts the Skinny codec into a pipeline: frame decoder, message decoder, the shared encoder. */
public final class SkinnyCodec {
    /** The default largest frame: CallInfo, the longest message here, is 392 bytes; real ones stay below 2 KiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 4096;

    private SkinnyCodec() {
    }

    /** Adds the codec to the front of {@code pipeline}'s handlers. */
    public static void install(ChannelPipeline pipeline, int maxFrameBytes) {
        pipeline.addLast("skinny-frames", new SkinnyFrameDecoder(maxFrameBytes));
        pipeline.addLast("skinny-messages", new SkinnyMessageDecoder());
        pipeline.addLast("skinny-encoder", SkinnyEncoder.INSTANCE);
    }
}
