package io.vmport.sip;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * INVITEs the trunk saw lately, by transaction id (the Via branch): one table holds those refused for overload, so
 * that their retransmissions are refused too; another those let in, so that a copy of one that finds no
 * transaction is dropped, not taken for a new call (see {@link TrunkGate}).
 *
 * <p>Refused: without it a call could be refused and then answered: the PBX's first INVITE
 * waits in the receive queue past T1, the PBX retransmits, the first gets a stateless 503 and the PBX gives the
 * call up, then the retransmission, seen when the guard admits again, gets 200. That 200 is never acknowledged,
 * and its port stays held until the no-ACK timeout (64*T1, 32 s): under overload the ports fill with such calls
 * and every new call is redirected (measured: 334,601 302s in 30 s at 5,000 calls/s offered).
 *
 * <p>A fixed table of {@value #SLOTS} 64-bit hashes of transaction ids (2 MiB), a slot chosen by the hash, newer
 * entries overwriting older ones: bounded memory, no allocation, lock-free. At the INVITE rate a saturated two-core
 * server sees under overload (about 4,000/s) an entry is overwritten within the 2 s in which the PBX's
 * retransmissions matter with probability 1 - e^(-8000/SLOTS), 3%; with the 65,536 slots of the first version that
 * was 12%, and in an overload run about 5% of the calls shed were answered later through a retransmission, each
 * holding a port unacknowledged for 32 s. An entry lost early lets one retransmission through, the behaviour
 * without this table; two ids alike in all 64 bits are as likely as not to be met in a server's lifetime.
 */
final class RecentInvites {
    static final int SLOTS = 1 << 18;
    private static final int MASK = SLOTS - 1;
    /** Hash of an empty slot; an id hashing to it is stored as {@link #ZERO_STAND_IN}. */
    private static final long EMPTY = 0;
    private static final long ZERO_STAND_IN = 1;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final AtomicLongArray table = new AtomicLongArray(SLOTS);

    /**
     * Remembers the id; true when it was not remembered already. Atomic: of two threads seeing copies of one
     * INVITE at once, one gets true.
     */
    boolean add(String transactionId) {
        return add(hash(transactionId));
    }

    /** As {@link #add(String)}, for an id already hashed. */
    boolean add(long h) {
        int slot = slot(h);
        long seen = table.get(slot);
        while (seen != h) {
            long witness = table.compareAndExchange(slot, seen, h);
            if (witness == seen) {
                return true;
            }
            seen = witness;
        }
        return false;
    }

    /** Remembers that the INVITE with this transaction id was seen. */
    void remember(String transactionId) {
        remember(hash(transactionId));
    }

    /** As {@link #remember(String)}, for an id already hashed. */
    void remember(long h) {
        table.setRelease(slot(h), h);
    }

    /** Whether the INVITE with this transaction id was seen lately. */
    boolean contains(String transactionId) {
        return contains(hash(transactionId));
    }

    /** As {@link #contains(String)}, for an id already hashed. */
    boolean contains(long h) {
        return table.getAcquire(slot(h)) == h;
    }

    private static int slot(long hash) {
        return (int) (hash ^ (hash >>> 32)) & MASK;
    }

    /** FNV-1a over the id's chars, 64 bits. */
    static long hash(String id) {
        long h = FNV_OFFSET;
        for (int i = 0, n = id.length(); i < n; i++) {
            h = (h ^ id.charAt(i)) * FNV_PRIME;
        }
        return h == EMPTY ? ZERO_STAND_IN : h;
    }

    /**
     * The {@link #hash(String)} of the ASCII bytes {@code from..to} in lower case, as the stack lower-cases a
     * branch into its transaction id; read from a datagram without making a String.
     */
    static long hashLowerCase(byte[] bytes, int from, int to) {
        long h = FNV_OFFSET;
        for (int i = from; i < to; i++) {
            h = (h ^ Character.toLowerCase(bytes[i] & 0xff)) * FNV_PRIME;
        }
        return h == EMPTY ? ZERO_STAND_IN : h;
    }
}
