package io.vmport.sccp.sim;

import java.util.Map;

/**
 * What the simulator counted. Per server: calls answered by its devices, rings its devices let time out or turned
 * down; overall: calls offered, answered, unanswered (nobody answered), ended, and dropped (a device's connection
 * went away during the call). Media (SPEC MD-1): receive channels the devices opened (OpenReceiveChannelAck ok)
 * and refused, caller-side RTP sockets open now, RTP packets received from the devices and sent to them.
 */
public record SimCounts(long offered, long answered, long unanswered, long ended, long dropped,
        Map<String, Long> answeredByServer, Map<String, Long> notAnsweredByServer, int registered,
        long mediaOpened, long mediaRefused, int mediaSocketsOpen, long rtpPacketsReceived, long rtpPacketsSent) {

    /** Calls answered by devices of {@code server}. */
    public long answeredBy(String server) {
        return answeredByServer.getOrDefault(server, 0L);
    }

    /** Rings on devices of {@code server} that timed out or were turned down. */
    public long notAnsweredBy(String server) {
        return notAnsweredByServer.getOrDefault(server, 0L);
    }
}
