package io.vmport.engine.peer;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ServerStatus;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.ports.PortState;

/**
 * Constants of the wire format drawn in {@link PeerFrameDecoder}: frame types, limits, and the code tables of
 * the enums. The codes are fixed here, not taken from Java ordinals, so that reordering an enum cannot change
 * the protocol silently; a new constant must be appended to its table (and {@link #PROTOCOL_VERSION} bumped).
 */
final class PeerWire {

    /**
     * Sent in HELLO. 3 added MAILBOX_CHANGED; a peer speaking a version from {@link #MIN_PROTOCOL_VERSION} to this
     * one is accepted (its frames are a subset), and is sent only the frames its version knows.
     */
    static final int PROTOCOL_VERSION = 3;
    /** The oldest version accepted in HELLO; older or newer ones are refused. */
    static final int MIN_PROTOCOL_VERSION = 2;
    /** The first version that knows MAILBOX_CHANGED. */
    static final int MAILBOX_CHANGED_SINCE = 3;
    /** The longest mailbox extension of MAILBOX_CHANGED, in ASCII bytes. */
    static final int MAX_EXTENSION_BYTES = 32;

    /** Bytes of the length field that starts every frame. */
    static final int LENGTH_FIELD_BYTES = 4;
    /** The largest value of the length field (type byte plus payload). */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    /** The most port-state deltas one HEARTBEAT carries; the rest wait for the next one. */
    static final int MAX_DELTAS = 4096;
    /** The longest text (BYE and ACTION_RESULT reasons), in UTF-8 bytes. */
    static final int MAX_TEXT_BYTES = 1024;
    /** The longest text, in chars, that the records keep: 3 UTF-8 bytes per char at most stays within bytes. */
    static final int MAX_TEXT_CHARS = MAX_TEXT_BYTES / 3;
    /** The longest action path name, e.g. {@code stop-taking-calls}. */
    static final int MAX_ACTION_NAME_BYTES = 64;
    /** Bytes of a port delta without its texts: port u32, state u8, reason u8, ageMs u32, 4 text lengths u8. */
    static final int DELTA_FIXED_BYTES = 4 + 1 + 1 + 4 + 4;
    /** The longest text of a port delta (call id, numbers), in UTF-8 bytes: its length is one byte. */
    static final int MAX_DELTA_TEXT_BYTES = 255;
    /** The largest ageMs of a port delta (u32). */
    static final long MAX_AGE_MS = 0xFFFF_FFFFL;
    /** The most bytes the deltas of one HEARTBEAT take; the rest wait for the next one. */
    static final int MAX_DELTA_BYTES = 60 * 1024;

    static final byte HELLO = 0x01;
    static final byte HEARTBEAT = 0x02;
    static final byte ACTION = 0x03;
    static final byte ACTION_RESULT = 0x04;
    static final byte BYE = 0x05;
    static final byte MAILBOX_CHANGED = 0x06;

    /** The code of an absent server or status (no PRIMARY, status not known). */
    static final int NONE = 0xFF;

    static final int FLAG_TAKING_CALLS = 0x01;
    static final int FLAG_PORT_SNAPSHOT = 0x02;
    /**
     * HEARTBEAT: the sender is SPLIT_BRAIN_RECOVERY and its own merge is done (ST-12). No version bump: a peer that
     * does not know a flag bit ignores it, and one that never sends it is waited for only a bounded time.
     */
    static final int FLAG_MERGE_DONE = 0x04;
    static final int FLAG_FORCE = 0x01;
    static final int FLAG_OK = 0x01;

    static final ServerName[] SERVERS = {ServerName.PUBLISHER, ServerName.SUBSCRIBER};
    static final ServerStatus[] STATUSES = {ServerStatus.PRIMARY, ServerStatus.SECONDARY, ServerStatus.DEACTIVATED,
            ServerStatus.NOT_FUNCTIONING, ServerStatus.STARTING, ServerStatus.REPLICATING_DATA,
            ServerStatus.SPLIT_BRAIN_RECOVERY};
    static final PortState[] PORT_STATES = {PortState.IDLE, PortState.RINGING, PortState.IN_CALL,
            PortState.DRAINING, PortState.OUT_OF_SERVICE};
    static final CallReason[] REASONS = {CallReason.DIRECT, CallReason.FORWARDED_BUSY,
            CallReason.FORWARDED_NO_ANSWER, CallReason.FORWARDED_OTHER};

    private static final int[] SERVER_CODES = codes(SERVERS, ServerName.values().length);
    private static final int[] STATUS_CODES = codes(STATUSES, ServerStatus.values().length);
    private static final int[] PORT_STATE_CODES = codes(PORT_STATES, PortState.values().length);
    private static final int[] REASON_CODES = codes(REASONS, CallReason.values().length);

    /** The length of the HEARTBEAT fixed part, type byte excluded. */
    static final int HEARTBEAT_FIXED_BYTES = 8 + 1 + 1 + 8 + 1 + 1 + 4 + 1 + 2;

    static {
        // a heartbeat full of deltas must fit a frame, and MAX_DELTAS of the smallest must fit the byte budget
        if (1 + HEARTBEAT_FIXED_BYTES + MAX_DELTA_BYTES > MAX_FRAME_BYTES
                || MAX_DELTAS * DELTA_FIXED_BYTES > MAX_DELTA_BYTES) {
            throw new ExceptionInInitializerError("MAX_DELTAS=" + MAX_DELTAS + " / MAX_DELTA_BYTES=" + MAX_DELTA_BYTES
                    + " do not fit MAX_FRAME_BYTES=" + MAX_FRAME_BYTES);
        }
    }

    private PeerWire() {
    }

    static int code(ServerName s) {
        return s == null ? NONE : SERVER_CODES[s.ordinal()];
    }

    static int code(ServerStatus s) {
        return s == null ? NONE : STATUS_CODES[s.ordinal()];
    }

    static int code(PortState s) {
        return PORT_STATE_CODES[s.ordinal()];
    }

    static int code(CallReason r) {
        return r == null ? NONE : REASON_CODES[r.ordinal()];
    }

    /** UTF-8 bytes of {@code s}; 0 for null. */
    static int utf8Length(String s) {
        return s == null ? 0 : io.netty.buffer.ByteBufUtil.utf8Bytes(s);
    }

    /**
     * {@code s} cut to at most {@link #MAX_DELTA_TEXT_BYTES} UTF-8 bytes, never splitting a character; null for
     * null or empty.
     */
    static String clip8(String s) {
        if (s == null || s.isEmpty()) {
            return null; // the wire cannot tell an empty text from none
        }
        if (s.length() * 3 <= MAX_DELTA_TEXT_BYTES || utf8Length(s) <= MAX_DELTA_TEXT_BYTES) {
            return s;
        }
        int end = Math.min(s.length(), MAX_DELTA_TEXT_BYTES);
        while (end > 0 && utf8Length(s.substring(0, end)) > MAX_DELTA_TEXT_BYTES) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    static String typeName(int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case HEARTBEAT -> "HEARTBEAT";
            case ACTION -> "ACTION";
            case ACTION_RESULT -> "ACTION_RESULT";
            case BYE -> "BYE";
            case MAILBOX_CHANGED -> "MAILBOX_CHANGED";
            default -> String.format("0x%02x", type & 0xFF);
        };
    }

    /** Maps each enum ordinal to its position in {@code table}; fails at class load when a constant is missing. */
    private static <E extends Enum<E>> int[] codes(E[] table, int enumSize) {
        int[] codes = new int[enumSize];
        java.util.Arrays.fill(codes, -1);
        for (int i = 0; i < table.length; i++) {
            codes[table[i].ordinal()] = i;
        }
        for (int i = 0; i < enumSize; i++) {
            if (codes[i] < 0) {
                throw new ExceptionInInitializerError("the wire code table " + java.util.Arrays.toString(table)
                        + " misses ordinal " + i + ": append it and bump PROTOCOL_VERSION");
            }
        }
        return codes;
    }

    /** {@code text} cut to {@link #MAX_TEXT_CHARS} chars (ending in "..."), never splitting a surrogate pair. */
    static String clip(String text) {
        if (text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = MAX_TEXT_CHARS - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }
}
