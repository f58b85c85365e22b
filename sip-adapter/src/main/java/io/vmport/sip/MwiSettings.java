package io.vmport.sip;

/**
 * Where MWI NOTIFYs go and how hard they are tried. Every value is checked here; a bad one is refused with the
 * field, the value and what is allowed.
 *
 * @param targetHost      the PBX's address for unsolicited NOTIFY (UDP), an IP literal or host name
 * @param targetPort      its port
 * @param maxAttempts     attempts per state before it is given up and reported (MW-2), 1 to 20
 * @param firstRetryMs    wait after the first failed attempt; each later wait doubles, up to {@code maxRetryMs}
 * @param maxRetryMs      the longest wait between attempts
 * @param sendsPerSecond  NOTIFYs started per second at most (the bulk of MW-3 is paced by it)
 * @param maxInFlight     NOTIFYs awaiting their answer at most
 * @param transactionT1Ms RFC 3261 T1 of each NOTIFY transaction: it retransmits from T1 on and gives up (no
 *                        answer) after 64 x T1 (Timer F; 32 s at the RFC's 500 ms)
 */
public record MwiSettings(String targetHost, int targetPort, int maxAttempts, long firstRetryMs, long maxRetryMs,
        int sendsPerSecond, int maxInFlight, int transactionT1Ms) {

    /** Attempts per state by default: with 1, 2, 4, 8 s between them a refusing PBX sees 5 NOTIFYs in 15 s. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /**
     * 2,000 NOTIFYs/s: the 10,000 mailboxes of MW-3 go in 5 s, half the 10 s allowed, and a NOTIFY is a few
     * microseconds of bytes and one table entry ({@code NotifyTransactions}), not a stack transaction.
     */
    public static final int DEFAULT_SENDS_PER_SECOND = 2_000;
    /**
     * At most 200 transactions awaiting an answer: 0.1 s of the rate, so a PBX answering within 100 ms keeps the
     * full rate, and a silent PBX holds at most 200 NOTIFY transactions (each retransmitting) instead of 10,000.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 200;

    public MwiSettings {
        if (targetHost == null || targetHost.isBlank()) {
            throw new IllegalArgumentException("mwi targetHost: an IP address or host name, not " + targetHost);
        }
        check("targetPort", targetPort, 1, 65_535);
        check("maxAttempts", maxAttempts, 1, 20);
        check("firstRetryMs", firstRetryMs, 1, 3_600_000);
        check("maxRetryMs", maxRetryMs, firstRetryMs, 3_600_000);
        check("sendsPerSecond", sendsPerSecond, 1, 100_000);
        check("maxInFlight", maxInFlight, 1, 100_000);
        check("transactionT1Ms", transactionT1Ms, 1, 10_000);
    }

    /** The defaults: 5 attempts 1, 2, 4, 8 s apart (at most 60 s), 2,000/s, 200 in flight, T1 500 ms. */
    public static MwiSettings of(String targetHost, int targetPort) {
        return new MwiSettings(targetHost, targetPort, DEFAULT_MAX_ATTEMPTS, 1_000, 60_000,
                DEFAULT_SENDS_PER_SECOND, DEFAULT_MAX_IN_FLIGHT, 500);
    }

    public MwiSettings withAttempts(int attempts, long firstRetryMs, long maxRetryMs) {
        return new MwiSettings(targetHost, targetPort, attempts, firstRetryMs, maxRetryMs, sendsPerSecond,
                maxInFlight, transactionT1Ms);
    }

    public MwiSettings withPacing(int sendsPerSecond, int maxInFlight) {
        return new MwiSettings(targetHost, targetPort, maxAttempts, firstRetryMs, maxRetryMs, sendsPerSecond,
                maxInFlight, transactionT1Ms);
    }

    public MwiSettings withTransactionT1Ms(int t1Ms) {
        return new MwiSettings(targetHost, targetPort, maxAttempts, firstRetryMs, maxRetryMs, sendsPerSecond,
                maxInFlight, t1Ms);
    }

    /** The wait after failed attempt number {@code attempt} (1-based): first, doubled each time, capped. */
    long retryDelayMs(int attempt) {
        long delay = firstRetryMs << Math.min(attempt - 1, 30);
        return delay <= 0 || delay > maxRetryMs ? maxRetryMs : delay;
    }

    private static void check(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("mwi " + field + ": " + min + " to " + max + ", not " + value);
        }
    }
}
