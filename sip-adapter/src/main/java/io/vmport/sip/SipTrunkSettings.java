package io.vmport.sip;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a {@link SipTrunk} needs: where it listens, who may send to it, and how the JAIN-SIP stack is sized.
 * Every value is checked here, once; a bad one is refused with the field, the value and what is allowed.
 *
 * @param host                  address the trunk binds (an IP literal)
 * @param port                  SIP port, the same for every transport
 * @param transports            UDP, TCP or both
 * @param allow                 trunk sources; requests from any other address get 403
 * @param mediaAddress          address put in the SDP answer's {@code c=} line (defaults to {@code host})
 * @param retryAfterSeconds     Retry-After sent with every 503 (not taking calls, overload)
 * @param maxCalls              calls in progress (offered to connected) past which INVITEs get 503 at once
 * @param maxServerTransactions the stack's server transaction table size; new INVITEs get 503 at 70% of it
 * @param threadPoolSize        stack threads that parse datagrams and run the listener
 * @param udpBufferBytes        UDP socket receive and send buffer size
 * @param lingerSeconds         how long finished transactions and dialogs stay in memory
 * @param overloadTargetMs      standing queueing delay past which new INVITEs are shed with 503 (see
 *                              {@code OverloadGuard}); 0 turns shedding by delay off
 * @param queueShed             when the trunk's calls fill the ports and are mostly still being set up, new
 *                              INVITEs are shed with 503 ({@link QueueShed}); off by default
 */
public record SipTrunkSettings(
        String host,
        int port,
        Set<SipTransport> transports,
        Predicate<InetAddress> allow,
        String mediaAddress,
        int retryAfterSeconds,
        int maxCalls,
        int maxServerTransactions,
        int threadPoolSize,
        int udpBufferBytes,
        int lingerSeconds,
        int overloadTargetMs,
        QueueShed queueShed) {

    /**
     * Standing queueing delay past which new INVITEs are shed, by default. Well below T1 (500 ms): a late answer
     * below T1 costs no retransmission, and the queue must stay short enough that ACKs and BYEs behind new INVITEs
     * free their ports at once. Measured at twice the zero-failure rate (BENCHMARKS.md, session 3): 150 ms let the
     * queue grow until goodput fell to 77% (with ports to spare) and 50 ms held 99.7%. Judged on the smallest delay
     * of each interval, because an average (tried first, with 100 ms) shed calls that a cold or briefly paused JVM
     * answered in time.
     */
    public static final int DEFAULT_OVERLOAD_TARGET_MS = 50;

    /**
     * Defaults: UDP and TCP, media on {@code host}, Retry-After 30 s, 2,000 calls, 200,000 server transactions,
     * 4 threads, 4 MiB socket buffers, 2 s linger, shedding past a standing queue of 50 ms.
     */
    public static SipTrunkSettings of(String host, int port, Predicate<InetAddress> allow) {
        return of(host, port, allow, host);
    }

    /** As {@link #of(String, int, Predicate)} with the SDP media address given (required for a wildcard host). */
    public static SipTrunkSettings of(String host, int port, Predicate<InetAddress> allow, String mediaAddress) {
        return new SipTrunkSettings(host, port, EnumSet.allOf(SipTransport.class), allow, mediaAddress,
                30, 2_000, 200_000, 4, 4 * 1024 * 1024, 2, DEFAULT_OVERLOAD_TARGET_MS, QueueShed.OFF);
    }

    public SipTrunkSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("sip.host=" + host + ": must be an IP address to bind");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("sip.port=" + port + ": must be 1..65535");
        }
        if (transports == null || transports.isEmpty()) {
            throw new IllegalArgumentException("sip.transports=" + transports + ": must name UDP, TCP or both");
        }
        transports = Set.copyOf(transports);
        Objects.requireNonNull(allow, "sip.allow: the trunk's allowed sources are required");
        if (mediaAddress == null || mediaAddress.isBlank()) {
            mediaAddress = host;
        }
        if (mediaAddress.equals("0.0.0.0") || mediaAddress.equals("::") || mediaAddress.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("sip.mediaAddress=" + mediaAddress
                    + ": must be an address the PBX can send RTP to (set it when host is a wildcard)");
        }
        if (retryAfterSeconds < 1 || retryAfterSeconds > 3_600) {
            throw new IllegalArgumentException("sip.retryAfterSeconds=" + retryAfterSeconds + ": must be 1..3600");
        }
        if (maxCalls < 1 || maxCalls > 1_000_000) {
            throw new IllegalArgumentException("sip.maxCalls=" + maxCalls + ": must be 1..1000000");
        }
        if (maxServerTransactions < 1_000 || maxServerTransactions > 10_000_000) {
            throw new IllegalArgumentException(
                    "sip.maxServerTransactions=" + maxServerTransactions + ": must be 1000..10000000");
        }
        if (threadPoolSize < 1 || threadPoolSize > 64) {
            throw new IllegalArgumentException("sip.threadPoolSize=" + threadPoolSize + ": must be 1..64");
        }
        if (udpBufferBytes < 65_536 || udpBufferBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException(
                    "sip.udpBufferBytes=" + udpBufferBytes + ": must be 65536..67108864");
        }
        if (overloadTargetMs != 0 && (overloadTargetMs < 20 || overloadTargetMs > 400)) {
            throw new IllegalArgumentException("sip.overloadTargetMs=" + overloadTargetMs
                    + ": must be 0 (off) or 20..400 ms (below T1, 500 ms)");
        }
        Objects.requireNonNull(queueShed, "sip.queueShed: QueueShed.OFF to never shed by the calls in set-up");
        if (lingerSeconds < 0 || lingerSeconds > 32) {
            throw new IllegalArgumentException("sip.lingerSeconds=" + lingerSeconds + ": must be 0..32");
        }
    }

    public SipTrunkSettings withTransports(Set<SipTransport> value) {
        return new SipTrunkSettings(host, port, value, allow, mediaAddress, retryAfterSeconds, maxCalls,
                maxServerTransactions, threadPoolSize, udpBufferBytes, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withAllow(Predicate<InetAddress> value) {
        return new SipTrunkSettings(host, port, transports, value, mediaAddress, retryAfterSeconds, maxCalls,
                maxServerTransactions, threadPoolSize, udpBufferBytes, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withMediaAddress(String value) {
        return new SipTrunkSettings(host, port, transports, allow, value, retryAfterSeconds, maxCalls,
                maxServerTransactions, threadPoolSize, udpBufferBytes, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withRetryAfterSeconds(int value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, value, maxCalls,
                maxServerTransactions, threadPoolSize, udpBufferBytes, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withMaxCalls(int value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, retryAfterSeconds, value,
                maxServerTransactions, threadPoolSize, udpBufferBytes, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withMaxServerTransactions(int value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, retryAfterSeconds, maxCalls,
                value, threadPoolSize, udpBufferBytes, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withThreadPoolSize(int value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, retryAfterSeconds, maxCalls,
                maxServerTransactions, value, udpBufferBytes, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withUdpBufferBytes(int value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, retryAfterSeconds, maxCalls,
                maxServerTransactions, threadPoolSize, value, lingerSeconds, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withLingerSeconds(int value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, retryAfterSeconds, maxCalls,
                maxServerTransactions, threadPoolSize, udpBufferBytes, value, overloadTargetMs, queueShed);
    }

    public SipTrunkSettings withOverloadTargetMs(int value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, retryAfterSeconds, maxCalls,
                maxServerTransactions, threadPoolSize, udpBufferBytes, lingerSeconds, value, queueShed);
    }

    public SipTrunkSettings withQueueShed(QueueShed value) {
        return new SipTrunkSettings(host, port, transports, allow, mediaAddress, retryAfterSeconds, maxCalls,
                maxServerTransactions, threadPoolSize, udpBufferBytes, lingerSeconds, overloadTargetMs, value);
    }
}
