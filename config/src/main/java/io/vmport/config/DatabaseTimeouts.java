package io.vmport.config;

/**
 * How long a node waits for a database host that stops answering without closing its connections (power loss, a
 * cable pulled, a firewall dropping packets; issue 18): the {@code database} block's {@code connectTimeoutMs},
 * {@code socketTimeoutMs} and {@code ownNodeTimeoutMs}. Validated on construction; a bad value is refused with a
 * {@link ConfigException} naming the field, the value and what is allowed (SPEC BI-3).
 *
 * <pre>
 * connectTimeoutMs  a new connection's TCP connect to one host; a host that does not accept in time is skipped
 * socketTimeoutMs   a statement's wait for any answer before its connection is given up and the work retried
 *                   (BI-4); above Galera's write stall while a dead node is evicted (evs.suspect_timeout, 5 s by
 *                   default, plus the view change) and a message's audio insert
 * ownNodeTimeoutMs  the own database node's (the URL's first host's) status read, every heartbeat interval: a
 *                   read unanswered for this long takes the node as gone; the pool's connections to it are
 *                   aborted and new ones go to the next host until it answers Synced again
 * </pre>
 *
 * @param connectTimeoutMs {@value #MIN_CONNECT_MS} to {@value #MAX_MS}
 * @param socketTimeoutMs  0 (no limit; one host only) or {@value #MIN_SOCKET_MS} to {@value #MAX_SOCKET_MS}, above
 *                         {@code ownNodeTimeoutMs}
 * @param ownNodeTimeoutMs {@value #MIN_OWN_NODE_MS} to {@value #MAX_MS}
 */
public record DatabaseTimeouts(long connectTimeoutMs, long socketTimeoutMs, long ownNodeTimeoutMs) {
    /** Two SYN retransmissions' worth on a LAN (the first comes after 1 s): a live host accepts in far less. */
    public static final long DEFAULT_CONNECT_MS = 1_000;
    /** Twice Galera's default eviction stall (suspect 5 s and a view change), and far above a 5 MB audio insert. */
    public static final long DEFAULT_SOCKET_MS = 10_000;
    /** A status read answered from the server's memory, about 1 ms on a LAN: a thousand times that. */
    public static final long DEFAULT_OWN_NODE_MS = 1_000;
    public static final DatabaseTimeouts DEFAULTS = new DatabaseTimeouts(DEFAULT_CONNECT_MS, DEFAULT_SOCKET_MS,
            DEFAULT_OWN_NODE_MS);
    static final long MIN_CONNECT_MS = 100;
    static final long MIN_SOCKET_MS = 1_000;
    static final long MAX_SOCKET_MS = 3_600_000;
    static final long MIN_OWN_NODE_MS = 100;
    static final long MAX_MS = 60_000;
    static final String SOCKET_TEXT = "0 (no limit, one host only) or an integer from " + MIN_SOCKET_MS + " to "
            + MAX_SOCKET_MS;

    public DatabaseTimeouts {
        Checks.range("database.connectTimeoutMs", connectTimeoutMs, MIN_CONNECT_MS, MAX_MS);
        if (socketTimeoutMs != 0 && (socketTimeoutMs < MIN_SOCKET_MS || socketTimeoutMs > MAX_SOCKET_MS)) {
            throw new ConfigException("database.socketTimeoutMs", socketTimeoutMs, SOCKET_TEXT);
        }
        Checks.range("database.ownNodeTimeoutMs", ownNodeTimeoutMs, MIN_OWN_NODE_MS, MAX_MS);
        if (socketTimeoutMs != 0 && ownNodeTimeoutMs >= socketTimeoutMs) {
            throw new ConfigException("database.ownNodeTimeoutMs", ownNodeTimeoutMs, "less than socketTimeoutMs ("
                    + socketTimeoutMs + "): the own node's status read is what finds it silent before a statement"
                    + " does");
        }
    }

    /**
     * Refuses a setting that would let a silent host hang a node for ever when the URL names several hosts.
     *
     * @throws ConfigException when {@code multiHost} and {@code socketTimeoutMs} is 0
     */
    public DatabaseTimeouts checkFor(boolean multiHost) {
        if (multiHost && socketTimeoutMs == 0) {
            throw new ConfigException("database.socketTimeoutMs", 0, "an integer from " + MIN_SOCKET_MS + " to "
                    + MAX_SOCKET_MS + " with several hosts: without a limit a statement on a silent host waits"
                    + " for ever and never goes to the next");
        }
        return this;
    }
}
