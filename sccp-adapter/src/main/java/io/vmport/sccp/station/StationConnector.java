package io.vmport.sccp.station;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;

/** Opens a connection to the phone system whose pipeline ends in {@code handler} (Skinny messages in and out). */
interface StationConnector {
    ChannelFuture connect(ChannelHandler handler);
}
