package io.vmport.sip;

/**
 * Checks a request line on the raw bytes, where the stack's parser is lenient (it takes any run of spaces between
 * the elements, trims the end of the line, and reads any SIP version as 2.0). RFC 3261 section 25:
 *
 * <pre>
 * Request-Line = Method SP Request-URI SP SIP-Version CRLF       exactly one SP between, nothing after
 * SIP-Version  = "SIP" "/" 1*DIGIT "." 1*DIGIT                    only SIP/2.0 is answered; another is 505
 * </pre>
 *
 * A char scan of the first line: no allocation.
 */
final class RequestLineCheck {

    private static final byte[] SIP_2_0 = {'S', 'I', 'P', '/', '2', '.', '0'};

    private RequestLineCheck() {
    }

    /** Where the message starts: the stack's parser skips leading bytes below 0x20 (CRLF keep-alives) too. */
    static int start(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] < 0x20) {
            i++;
        }
        return i;
    }

    /** True when the message at {@code start} is a response (the stack's parser's own test). */
    static boolean isResponse(byte[] bytes, int start) {
        return startsWith(bytes, start, SIP_2_0, false);
    }

    /** What is wrong with the request line at {@code start}, or null when it is well formed. */
    static RequestFault fault(byte[] bytes, int start) {
        int n = bytes.length;
        int i = start;
        while (i < n && isTokenChar(bytes[i])) {
            i++;
        }
        if (i == start || i >= n || bytes[i] != ' ') {
            return RequestFault.REQUEST_LINE;
        }
        int uri = ++i;
        if (uri < n && bytes[uri] == ' ') {
            return RequestFault.TWO_SPACES;
        }
        while (i < n && bytes[i] > ' ') {
            i++;
        }
        if (i == uri || i >= n || bytes[i] != ' ') {
            return RequestFault.REQUEST_LINE;
        }
        int version = ++i;
        if (version < n && bytes[version] == ' ') {
            return RequestFault.TWO_SPACES;
        }
        while (i < n && bytes[i] > ' ') {
            i++;
        }
        int versionEnd = i;
        while (i < n && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        if (i >= n || (bytes[i] != '\r' && bytes[i] != '\n')) {
            return RequestFault.REQUEST_LINE;
        }
        if (i > versionEnd) {
            return RequestFault.SPACE_AT_END;
        }
        return versionFault(bytes, version, versionEnd);
    }

    private static RequestFault versionFault(byte[] bytes, int from, int to) {
        if (to - from == SIP_2_0.length && startsWith(bytes, from, SIP_2_0, true)) {
            return null;
        }
        // "SIP/" 1*DIGIT "." 1*DIGIT, another version: 505
        if (to - from < 7 || !startsWith(bytes, from, SIP_2_0, true, 4)) {
            return RequestFault.VERSION;
        }
        int i = from + 4;
        int digits = 0;
        while (i < to && isDigit(bytes[i])) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= to || bytes[i] != '.') {
            return RequestFault.VERSION;
        }
        i++;
        int minor = i;
        while (i < to && isDigit(bytes[i])) {
            i++;
        }
        return i == to && i > minor ? RequestFault.VERSION_NOT_SUPPORTED : RequestFault.VERSION;
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix, boolean ignoreCase) {
        return startsWith(bytes, at, prefix, ignoreCase, prefix.length);
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix, boolean ignoreCase, int length) {
        if (bytes.length - at < length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            byte b = bytes[at + k];
            if (b != prefix[k] && !(ignoreCase && b >= 'a' && b <= 'z' && b - 32 == prefix[k])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** RFC 3261 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~". */
    static boolean isTokenChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '!' || c == '%' || c == '*' || c == '_' || c == '+' || c == '`' || c == '\'' || c == '~';
    }
}
