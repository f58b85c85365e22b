package io.vmport.sccp.codec;

import io.netty.channel.ChannelPipeline;

/** Puts the Skinny codec into a pipeline: frame decoder, message decoder, the shared encoder. */
public final class SkinnyCodec {
    /** The default largest length field: CallInfo, the longest message here, has 388; real ones stay below 2 KiB. */
    public static final int DEFAULT_MAX_LENGTH = 4096;

    private SkinnyCodec() {
    }

    /** Adds the codec to the front of {@code pipeline}'s handlers. */
    public static void install(ChannelPipeline pipeline, int maxLength) {
        pipeline.addLast("skinny-frames", new SkinnyFrameDecoder(maxLength));
        pipeline.addLast("skinny-messages", new SkinnyMessageDecoder());
        pipeline.addLast("skinny-encoder", SkinnyEncoder.INSTANCE);
    }
}
