package io.vmport.sccp.station;

import java.net.InetSocketAddress;

/**
 * What StartMediaTransmission asks of a port device (SPEC MD-1): send {@code payload} ({@code Skinny.PAYLOAD_*})
 * in {@code packetSizeMs} packets to {@code remote}, and accept RTP from there.
 *
 * @param dtmfPayloadType the RTP payload type of RFC 4733 DTMF events (96..127) the phone system named in
 *                        OpenReceiveChannel or StartMediaTransmission, or -1 when it named none
 */
public record MediaStart(InetSocketAddress remote, int payload, int packetSizeMs, int dtmfPayloadType) {
    /** The dynamic RTP payload types (RFC 3551), the only ones a DTMF event type can have. */
    static int dtmfOrNone(int payloadType) {
        return payloadType >= 96 && payloadType <= 127 ? payloadType : -1;
    }
}
