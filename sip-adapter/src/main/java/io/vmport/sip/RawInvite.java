package io.vmport.sip;

import java.nio.charset.StandardCharsets;

/**
 * The fields of a UDP INVITE that the {@link ArrivalGate} needs to refuse it, read on the datagram's bytes without
 * the stack's parser, and the stateless 503 written from them (RFC 3261 sections 7, 8.2.6, 18.2.2; RFC 3581).
 * What is read, and what is given up on (the datagram then goes to the stack's parser and the {@link TrunkGate} as
 * before):
 *
 * <pre>
 * INVITE sip:7000@192.0.2.2 SIP/2.0                          request line: "INVITE " first; else not read
 * Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK77;rport     "v:" too; every Via line copied to the 503, the
 * Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKx                 top value read: sent-by, branch (z9hG4bK only),
 *                                                             rport (filled in), maddr and received (given up on)
 * From: "A" &lt;sip:1001@192.0.2.1&gt;;tag=9                       "f:"; exactly one
 * To: &lt;sip:7000@192.0.2.2&gt;                                   "t:"; exactly one; a tag in it: not a new call
 * Call-ID: 77@192.0.2.1                                      "i:"; exactly one
 * CSeq: 1 INVITE                                             exactly one
 * (any other header)                                         skipped; a folded line (leading SP/HT): given up
 * (empty line, then the body)                                not read
 * </pre>
 *
 * Lines end with CRLF; a bare LF, a line over the datagram's end or a byte above 0x7f before the body is given up
 * on.
 * One instance per receiving thread: it keeps offsets into the last datagram decoded and writes into its own buffer,
 * so it allocates nothing per datagram.
 */
final class RawInvite {

    private static final String BRANCH_COOKIE = "z9hG4bK";
    private static final int MAX_VIAS = 16;
    private static final byte[] STATUS_503 = ascii("SIP/2.0 503 Service Unavailable\r\n");
    private static final byte[] TAG = ascii(";tag=" + Responder.STATELESS_TAG_PREFIX);
    private static final byte[] RPORT_VALUE = ascii("=");
    private static final byte[] RECEIVED = ascii(";received=");
    private static final byte[] RETRY_AFTER = ascii("Retry-After: ");
    private static final byte[] END = ascii("\r\nContent-Length: 0\r\n\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] HEX = ascii("0123456789abcdef");

    private byte[] bytes;
    private final int[] viaStart = new int[MAX_VIAS];
    private final int[] viaEnd = new int[MAX_VIAS];
    private int vias;
    private int fromStart;
    private int fromEnd;
    private int toStart;
    private int toEnd;
    private int callIdStart;
    private int callIdEnd;
    private int cseqStart;
    private int cseqEnd;
    /** In the top Via value: where sent-by's host and port are, where its first value ends, branch and rport. */
    private int hostStart;
    private int hostEnd;
    private int sentByPort;
    private int topViaValueEnd;
    private int branchStart;
    private int branchEnd;
    private int rportEnd;
    private boolean toTagged;

    private final byte[] out = new byte[4096];
    private int outLength;

    /**
     * Reads {@code length} bytes at {@code offset} as an INVITE; false when it is not one or uses a form this
     * reader gives up on (see the class comment), and then nothing else here is meaningful.
     */
    boolean decode(byte[] data, int offset, int length) {
        bytes = data;
        int end = offset + length;
        if (length < 7 || data[offset] != 'I' || !startsWith(data, offset, end, "INVITE ")) {
            return false;
        }
        vias = 0;
        fromStart = toStart = callIdStart = cseqStart = -1;
        int line = endOfLine(data, offset, end);
        if (line < 0) {
            return false;
        }
        for (int start = line + 2; ; ) {
            int eol = endOfLine(data, start, end);
            if (eol < 0) {
                return false;
            }
            if (eol == start) {
                break; // the empty line: headers over
            }
            byte first = data[start];
            if (first == ' ' || first == '\t') {
                return false; // a folded line
            }
            int colon = nameEnd(data, start, eol);
            if (colon < 0) {
                return false;
            }
            int nameLength = colon - start;
            if (isName(data, start, nameLength, "via", 'v')) {
                if (vias == MAX_VIAS) {
                    return false;
                }
                viaStart[vias] = start;
                viaEnd[vias++] = eol;
            } else if (isName(data, start, nameLength, "from", 'f')) {
                if (fromStart >= 0) {
                    return false;
                }
                fromStart = start;
                fromEnd = eol;
            } else if (isName(data, start, nameLength, "to", 't')) {
                if (toStart >= 0) {
                    return false;
                }
                toStart = start;
                toEnd = eol;
            } else if (isName(data, start, nameLength, "call-id", 'i')) {
                if (callIdStart >= 0) {
                    return false;
                }
                callIdStart = start;
                callIdEnd = eol;
            } else if (isName(data, start, nameLength, "cseq", '\0')) {
                if (cseqStart >= 0) {
                    return false;
                }
                cseqStart = start;
                cseqEnd = eol;
            }
            start = eol + 2;
        }
        if (vias == 0 || fromStart < 0 || toStart < 0 || callIdStart < 0 || cseqStart < 0) {
            return false;
        }
        toTagged = indexOfParam(data, valueStart(data, toStart, toEnd), toEnd, "tag") >= 0;
        return topVia(data, valueStart(data, viaStart[0], viaEnd[0]), viaEnd[0]);
    }

    /** Whether the To header has a tag: a request in a dialog (a re-INVITE), not a new call. */
    boolean inDialog() {
        return toTagged;
    }

    /**
     * The stack's transaction id of this INVITE, hashed as {@link RecentInvites#hash(String)} hashes
     * {@code SIPRequest.getTransactionId()}: the top Via's branch in lower case.
     */
    long transactionIdHash() {
        return RecentInvites.hashLowerCase(bytes, branchStart, branchEnd);
    }

    /** The top Via's branch in lower case: the stack's transaction id of this INVITE. */
    String transactionId() {
        char[] chars = new char[branchEnd - branchStart];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) Character.toLowerCase(bytes[branchStart + i]);
        }
        return new String(chars);
    }

    /**
     * Writes the stateless 503 for the INVITE decoded last, from {@code source} (the datagram's sender): every Via
     * (the top one with {@code received} when sent-by is not that address, and {@code rport} filled in, RFC 3581),
     * From, To with a tag starting {@link Responder#STATELESS_TAG_PREFIX} (so that its ACK is dropped unparsed),
     * Call-ID, CSeq, Retry-After. False when it does not fit the buffer.
     *
     * @param sourceHost the sender's address as text, e.g. {@code 192.0.2.1}
     * @param sourcePort the sender's UDP port
     * @param tag        64 random bits for the To tag
     */
    boolean write503(String sourceHost, int sourcePort, int retryAfterSeconds, long tag) {
        outLength = 0;
        put(STATUS_503);
        if (rportEnd >= 0) {
            put(bytes, viaStart[0], rportEnd);
            put(RPORT_VALUE);
            putDecimal(sourcePort);
            put(bytes, rportEnd, topViaValueEnd);
        } else {
            put(bytes, viaStart[0], topViaValueEnd);
        }
        if (rportEnd >= 0 || !sameText(bytes, hostStart, hostEnd, sourceHost)) {
            put(RECEIVED);
            putAscii(sourceHost);
        }
        put(bytes, topViaValueEnd, viaEnd[0]);
        put(CRLF);
        for (int i = 1; i < vias; i++) {
            put(bytes, viaStart[i], viaEnd[i]);
            put(CRLF);
        }
        put(bytes, fromStart, fromEnd);
        put(CRLF);
        put(bytes, toStart, toEnd);
        put(TAG);
        for (int shift = 60; shift >= 0; shift -= 4) {
            put(HEX[(int) (tag >>> shift) & 0xf]);
        }
        put(CRLF);
        put(bytes, callIdStart, callIdEnd);
        put(CRLF);
        put(bytes, cseqStart, cseqEnd);
        put(CRLF);
        put(RETRY_AFTER);
        putDecimal(retryAfterSeconds);
        put(END);
        return outLength <= out.length;
    }

    /** The response {@link #write503} wrote: {@link #responseLength()} bytes from 0. */
    byte[] response() {
        return out;
    }

    int responseLength() {
        return outLength;
    }

    /** Where the 503 goes (RFC 3261 18.2.2, RFC 3581): the sender's port with rport, else sent-by's. */
    int responsePort(int sourcePort) {
        return rportEnd >= 0 ? sourcePort : sentByPort;
    }

    /**
     * The top Via's first value: {@code SIP/2.0/UDP sent-by *(;param)}. Sets the host, port, branch and rport
     * offsets; false for a branch without the RFC 3261 cookie (the stack builds another transaction id for it), a
     * maddr or received already set, an rport with a value, or a sent-by it cannot read.
     */
    private boolean topVia(byte[] data, int from, int end) {
        int i = from;
        while (i < end && data[i] != ' ' && data[i] != '\t') {
            i++; // the protocol, SIP/2.0/UDP
        }
        while (i < end && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        hostStart = i;
        if (i < end && data[i] == '[') {
            while (i < end && data[i] != ']') {
                i++;
            }
            i++;
        } else {
            while (i < end && data[i] != ':' && data[i] != ';' && data[i] != ',' && data[i] != ' ') {
                i++;
            }
        }
        hostEnd = Math.min(i, end);
        if (hostEnd <= hostStart) {
            return false;
        }
        sentByPort = 5060;
        if (i < end && data[i] == ':') {
            int port = 0;
            int digits = 0;
            for (i++; i < end && data[i] >= '0' && data[i] <= '9' && digits < 6; i++, digits++) {
                port = port * 10 + data[i] - '0';
            }
            if (digits == 0 || port < 1 || port > 65_535) {
                return false;
            }
            sentByPort = port;
        }
        topViaValueEnd = end;
        for (int j = i; j < end; j++) {
            if (data[j] == ',') {
                topViaValueEnd = j;
                break;
            }
        }
        if (indexOfParam(data, i, topViaValueEnd, "maddr") >= 0
                || indexOfParam(data, i, topViaValueEnd, "received") >= 0) {
            return false;
        }
        int branch = indexOfParam(data, i, topViaValueEnd, "branch");
        if (branch < 0 || data[branch] != '=') {
            return false;
        }
        branchStart = branch + 1;
        branchEnd = branchStart;
        while (branchEnd < topViaValueEnd && data[branchEnd] != ';' && data[branchEnd] != ' '
                && data[branchEnd] != '\t') {
            branchEnd++;
        }
        if (branchEnd - branchStart <= BRANCH_COOKIE.length()
                || !startsWithIgnoreCase(data, branchStart, branchEnd, BRANCH_COOKIE)) {
            return false;
        }
        int rport = indexOfParam(data, i, topViaValueEnd, "rport");
        if (rport >= 0 && rport < topViaValueEnd && data[rport] == '=') {
            return false; // a value already: not a request as a client sends it
        }
        rportEnd = rport;
        return true;
    }

    /**
     * The offset just past the name of the parameter {@code ;name} between {@code from} and {@code end} (at its
     * '=', or at the ';', ',', space or end after it), or -1.
     */
    private static int indexOfParam(byte[] data, int from, int end, String name) {
        for (int i = from; i < end; i++) {
            if (data[i] != ';') {
                continue;
            }
            int j = i + 1;
            while (j < end && (data[j] == ' ' || data[j] == '\t')) {
                j++;
            }
            int k = j + name.length();
            if (k <= end && startsWithIgnoreCase(data, j, end, name)) {
                while (k < end && (data[k] == ' ' || data[k] == '\t')) {
                    k++;
                }
                if (k == end || data[k] == '=' || data[k] == ';' || data[k] == ',') {
                    if (k < end && data[k] == '=') {
                        int v = k + 1;
                        while (v < end && (data[v] == ' ' || data[v] == '\t')) {
                            v++;
                        }
                        return v == k + 1 ? k : -1; // a value after spaces: given up on
                    }
                    return k;
                }
            }
        }
        return -1;
    }

    /** The offset of the CR of the CRLF that ends the line at {@code from}, or -1 (no CRLF, or a bare LF). */
    private static int endOfLine(byte[] data, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = data[i];
            if (b == '\r') {
                return i + 1 < end && data[i + 1] == '\n' ? i : -1;
            }
            if (b == '\n' || b < 0) {
                return -1;
            }
        }
        return -1;
    }

    /** The offset of the colon after a header name (spaces allowed before it), or -1. */
    private static int nameEnd(byte[] data, int from, int eol) {
        int i = from;
        while (i < eol && data[i] != ':' && data[i] != ' ' && data[i] != '\t') {
            i++;
        }
        int nameEnd = i;
        while (i < eol && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        return i < eol && data[i] == ':' && nameEnd > from ? nameEnd : -1;
    }

    /** The offset of a header's value: after the colon and the spaces after it. */
    private static int valueStart(byte[] data, int lineStart, int eol) {
        int i = lineStart;
        while (i < eol && data[i] != ':') {
            i++;
        }
        i++;
        while (i < eol && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isName(byte[] data, int from, int length, String name, char compact) {
        if (length == 1) {
            return compact != '\0' && (data[from] | 0x20) == compact;
        }
        return length == name.length() && startsWithIgnoreCase(data, from, from + length, name);
    }

    private static boolean startsWith(byte[] data, int from, int end, String prefix) {
        if (end - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] data, int from, int end, String prefix) {
        if (end - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase(data[from + i]) != Character.toLowerCase(prefix.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameText(byte[] data, int from, int end, String text) {
        return end - from == text.length() && startsWith(data, from, end, text);
    }

    private void put(byte[] source) {
        put(source, 0, source.length);
    }

    private void put(byte[] source, int from, int to) {
        int n = to - from;
        if (outLength + n <= out.length) {
            System.arraycopy(source, from, out, outLength, n);
        }
        outLength += n;
    }

    private void put(byte b) {
        if (outLength < out.length) {
            out[outLength] = b;
        }
        outLength++;
    }

    private void putAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            put((byte) text.charAt(i));
        }
    }

    private void putDecimal(int value) {
        int divisor = 1;
        while (value / divisor >= 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            put((byte) ('0' + value / divisor % 10));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
