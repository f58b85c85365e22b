package io.vmport.sip;

import java.util.Arrays;

/**
 * What the trunk keeps of an SDP offer to answer it: the codec chosen, the DTMF payload type, the direction to
 * mirror, and the other media lines to reject. One small object per call; {@link #NONE} for an INVITE without
 * SDP (the trunk then makes the offer in its 200 OK).
 */
final class SdpOffer {

    static final String PCMU = "PCMU";
    static final String PCMA = "PCMA";
    static final int NO_DTMF = -1;

    /** No offer in the INVITE: the 200 OK offers PCMU, PCMA and telephone-event 101. */
    static final SdpOffer NONE = new SdpOffer(-1, null, 101, "sendrecv", 0, null, null, 0);

    /** Payload type of the chosen codec (0, 8, or the offer's dynamic type), -1 for {@link #NONE}. */
    final int payloadType;
    /** {@link #PCMU} or {@link #PCMA}; null for {@link #NONE}. */
    final String codec;
    /** Payload type of telephone-event/8000 when offered, else {@link #NO_DTMF}. */
    final int dtmfPayloadType;
    /** Direction attribute of the answer: the offer's, mirrored. */
    final String direction;
    /** Index of the answered audio line among the offer's m= lines. */
    final int audioIndex;
    /** The answer's line for each m= line of the offer (rejected, port 0), null at audioIndex; null if one line. */
    final String[] otherMedia;
    /** The connection address of the answered audio line (its own c= or the session's); null for {@link #NONE}. */
    final String remoteAddress;
    /** The answered audio line's port: where the caller receives RTP; 0 for {@link #NONE}. */
    final int remotePort;
    /** What the engine reads of it: built once, so that reading it allocates nothing. */
    final SdpMedia media;

    SdpOffer(int payloadType, String codec, int dtmfPayloadType, String direction, int audioIndex,
            String[] otherMedia, String remoteAddress, int remotePort) {
        this.payloadType = payloadType;
        this.codec = codec;
        this.dtmfPayloadType = dtmfPayloadType;
        this.direction = direction;
        this.audioIndex = audioIndex;
        this.otherMedia = otherMedia;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.media = new SdpMedia(remoteAddress, remotePort, codec, payloadType, dtmfPayloadType, direction);
    }

    /** Whether an answer to {@code other} carries the same media description as an answer to this one. */
    boolean sameAnswerAs(SdpOffer other) {
        return payloadType == other.payloadType && dtmfPayloadType == other.dtmfPayloadType
                && direction.equals(other.direction) && audioIndex == other.audioIndex
                && Arrays.equals(otherMedia, other.otherMedia);
    }

    @Override
    public String toString() {
        return "SdpOffer[pt=" + payloadType + " " + codec + ", dtmf=" + dtmfPayloadType + ", " + direction
                + ", audioIndex=" + audioIndex + ", remote=" + remoteAddress + ":" + remotePort + "]";
    }
}
