package io.vmport.engine.media;

/**
 * Settings of one node's media plane (from the bootstrap file's {@code media} block and cluster settings).
 *
 * @param host           local address the RTP sockets bind on and the SDP names
 * @param firstPort      first port of the RTP range (inclusive); sessions use its even ports (RFC 3550)
 * @param lastPort       last port of the RTP range (inclusive)
 * @param eventLoops     Netty event loops the sessions are spread over, each with one 20 ms pacer
 * @param mediaTimeoutMs no RTP received for this long reports {@link MediaListener#onMediaTimeout} (SPEC MD-5)
 */
public record MediaSettings(String host, int firstPort, int lastPort, int eventLoops, long mediaTimeoutMs) {
    /** Event loops when the configuration names none. */
    public static final int DEFAULT_EVENT_LOOPS = 2;
    /** SPEC MD-5's default media timeout. */
    public static final long DEFAULT_MEDIA_TIMEOUT_MS = 30_000;

    /** Refuses a setting naming the field, the value and what is allowed. */
    public MediaSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("media host is '" + host + "'; allowed: a local address");
        }
        if (firstPort < 1 || firstPort > 65535 || lastPort < 1 || lastPort > 65535) {
            throw new IllegalArgumentException("media ports " + firstPort + "-" + lastPort + "; allowed: 1-65535");
        }
        if (evenPorts(firstPort, lastPort) < 1) {
            throw new IllegalArgumentException("media ports " + firstPort + "-" + lastPort
                    + " hold no even port; allowed: firstPort <= lastPort with at least one even port");
        }
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("media eventLoops " + eventLoops + "; allowed: 1-64");
        }
        if (mediaTimeoutMs < 1) {
            throw new IllegalArgumentException("media timeout " + mediaTimeoutMs + " ms; allowed: > 0");
        }
    }

    /** Settings with {@link #DEFAULT_EVENT_LOOPS} and {@link #DEFAULT_MEDIA_TIMEOUT_MS}. */
    public static MediaSettings of(String host, int firstPort, int lastPort) {
        return new MediaSettings(host, firstPort, lastPort, DEFAULT_EVENT_LOOPS, DEFAULT_MEDIA_TIMEOUT_MS);
    }

    /** How many sessions the range holds: its even ports. */
    public int sessionCapacity() {
        return evenPorts(firstPort, lastPort);
    }

    private static int evenPorts(int first, int last) {
        int firstEven = first + (first & 1);
        return last < firstEven ? 0 : (last - firstEven) / 2 + 1;
    }
}
