package io.vmport.sccp.station;

import java.net.InetAddress;

/**
 * Where a port device receives the media of a call: the address and UDP port it names in OpenReceiveChannelAck
 * (SPEC MD-1).
 *
 * @param address an IPv4 address (Skinny's basic layout has room for no other)
 * @param port    the RTP port, 1..65535
 */
public record MediaEndpoint(InetAddress address, int port) {
    public MediaEndpoint {
        if (address == null || address.getAddress().length != 4) {
            throw new IllegalArgumentException("address " + address + "; allowed: an IPv4 address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + "; allowed: 1..65535");
        }
    }
}
