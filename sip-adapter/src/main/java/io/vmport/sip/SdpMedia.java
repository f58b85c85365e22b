package io.vmport.sip;

import java.net.InetSocketAddress;

/**
 * The media of a call as its SDP offer set it up (SPEC MD-1): where the caller wants RTP, the G.711 codec the
 * answer chose and the RFC 4733 telephone-event payload type. What the engine needs to open the call's own media
 * session; read with {@link SipCall#media()}.
 *
 * @param remoteHost      the offer's connection address for the audio line (c=, an IP literal as a rule);
 *                        null when the INVITE carried no offer
 * @param remotePort      the offer's audio port (m=audio); 0 when the INVITE carried no offer
 * @param codec           {@code "PCMU"} or {@code "PCMA"}; null when the INVITE carried no offer
 * @param payloadType     the RTP payload type of that codec in this call (0, 8 or the offer's dynamic type);
 *                        -1 when the INVITE carried no offer
 * @param dtmfPayloadType the payload type of {@code telephone-event/8000}, -1 when not offered
 * @param direction       vmport's side of the stream, the offer's direction mirrored: {@code sendrecv},
 *                        {@code sendonly} (the PBX offered recvonly), {@code recvonly} (the PBX holds the call with
 *                        sendonly) or {@code inactive}
 */
public record SdpMedia(String remoteHost, int remotePort, String codec, int payloadType, int dtmfPayloadType,
                       String direction) {
    /** The address RFC 2543 holds a call with: nothing is sent to it. */
    static final String HOLD_ADDRESS = "0.0.0.0";

    /** Both ways ({@code sendrecv}). */
    public SdpMedia(String remoteHost, int remotePort, String codec, int payloadType, int dtmfPayloadType) {
        this(remoteHost, remotePort, codec, payloadType, dtmfPayloadType, "sendrecv");
    }

    /** Whether vmport sends RTP: the direction allows it and the address is not the hold address 0.0.0.0. */
    public boolean sends() {
        return offered() && !HOLD_ADDRESS.equals(remoteHost)
                && (direction.equals("sendrecv") || direction.equals("sendonly"));
    }

    /** Whether the caller sends RTP: the direction says so and the call is not held with 0.0.0.0. */
    public boolean receives() {
        return offered() && !HOLD_ADDRESS.equals(remoteHost)
                && (direction.equals("sendrecv") || direction.equals("recvonly"));
    }

    /** Whether the INVITE offered media; false for an INVITE without SDP (the caller's answer comes in the ACK). */
    public boolean offered() {
        return remoteHost != null && remotePort > 0;
    }

    /** Where to send RTP; a host name is resolved now. Only when {@link #offered()}. */
    public InetSocketAddress remote() {
        if (!offered()) {
            throw new IllegalStateException("no media offered: " + this);
        }
        return new InetSocketAddress(remoteHost, remotePort);
    }
}
