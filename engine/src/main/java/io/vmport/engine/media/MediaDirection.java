package io.vmport.engine.media;

/**
 * Which way a connected session's RTP flows, from vmport's side (SDP's direction attribute, RFC 3264 section 6.1):
 * a PBX that puts the call on hold offers {@code a=sendonly} (vmport then only receives) or {@code a=inactive}, or
 * the older {@code c=0.0.0.0} (nothing to send to).
 */
public enum MediaDirection {
    /** Both ways: frames every 20 ms; no RTP for the media timeout is reported (MD-5). */
    SEND_RECEIVE(true, true),
    /** vmport sends, the caller does not (it offered recvonly): no media timeout. */
    SEND_ONLY(true, false),
    /** The caller sends, vmport does not (hold with sendonly): playback waits; the media timeout runs. */
    RECEIVE_ONLY(false, true),
    /** Neither (hold with inactive or c=0.0.0.0): playback waits; no media timeout. */
    INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    MediaDirection(boolean sends, boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    /** The direction where vmport sends when {@code sends} and expects RTP when {@code receives}. */
    public static MediaDirection of(boolean sends, boolean receives) {
        return sends ? (receives ? SEND_RECEIVE : SEND_ONLY) : (receives ? RECEIVE_ONLY : INACTIVE);
    }

    /** Whether vmport sends frames. */
    public boolean sends() {
        return sends;
    }

    /** Whether the caller sends RTP, so that its absence for the media timeout ends the call. */
    public boolean receives() {
        return receives;
    }
}
