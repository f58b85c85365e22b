package io.vmport.sip;

/**
 * The headers the trunk reads, and so holds to RFC 3261's grammar: a request where one of them does not parse is
 * answered 400 naming it (other headers that do not parse are kept unparsed, as the stack does). The single-valued
 * ones must appear once; From, To and Contact are name-addr headers ({@link #nameAddrFault}).
 */
enum CheckedHeader {
    VIA("Via", 'v', false, false),
    CONTACT("Contact", 'm', false, true),
    CALL_ID("Call-ID", 'i', true, false),
    CSEQ("CSeq", '\0', true, false),
    FROM("From", 'f', true, true),
    TO("To", 't', true, true),
    MAX_FORWARDS("Max-Forwards", '\0', true, false),
    CONTENT_LENGTH("Content-Length", 'l', true, false),
    CONTENT_TYPE("Content-Type", 'c', true, false);

    private static final CheckedHeader[] ALL = values();

    private final String name;
    private final char compact;
    final boolean singleValued;
    private final boolean nameAddr;
    final RequestFault unparseable;
    final RequestFault duplicate;
    private final RequestFault unquotedName;
    private final RequestFault spaceInAddrSpec;

    CheckedHeader(String name, char compact, boolean singleValued, boolean nameAddr) {
        this.name = name;
        this.compact = compact;
        this.singleValued = singleValued;
        this.nameAddr = nameAddr;
        this.unparseable = RequestFault.bad("Bad " + name + " header");
        this.duplicate = RequestFault.bad("Duplicate " + name + " header");
        this.unquotedName = RequestFault.bad("Bad " + name + " header: display name needs quotes");
        this.spaceInAddrSpec = RequestFault.bad("Bad " + name + " header: space inside <addr-spec>");
    }

    /** The header named before {@code colon} (spaces before the colon allowed; compact forms too), or null. */
    static CheckedHeader of(String line, int colon) {
        int end = colon;
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        for (CheckedHeader h : ALL) {
            if (end == h.name.length() ? line.regionMatches(true, 0, h.name, 0, end)
                    : end == 1 && h.compact != '\0' && Character.toLowerCase(line.charAt(0)) == h.compact) {
                return h;
            }
        }
        return null;
    }

    /**
     * For From, To and Contact, the part the stack's parser lets through (RFC 3261 section 25):
     *
     * <pre>
     * name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
     * display-name = *(token LWS) / quoted-string      "Alice Smith" &lt;sip:..&gt; or Alice Smith &lt;sip:..&gt;, not Al@ice
     * addr-spec    = SIP-URI / SIPS-URI / absoluteURI   no white space inside &lt; &gt;
     * </pre>
     *
     * A char scan of the value after {@code colon}; null when it is fine or is for the parser to refuse.
     */
    RequestFault nameAddrFault(String line, int colon) {
        if (!nameAddr) {
            return null;
        }
        int n = line.length();
        int name = NAME_NONE;
        for (int i = colon + 1; i < n; i++) {
            char c = line.charAt(i);
            if (c == '<') {
                if (name == NAME_BAD) {
                    return unquotedName;
                }
                int gt = line.indexOf('>', i);
                if (gt < 0) {
                    return null;
                }
                for (int j = i + 1; j < gt; j++) {
                    if (line.charAt(j) <= ' ') {
                        return spaceInAddrSpec;
                    }
                }
                i = endOfElement(line, gt);
                name = NAME_NONE;
            } else if (c == ';') {
                i = endOfElement(line, i); // an addr-spec without <>: its parameters, up to a Contact's comma
                name = NAME_NONE;
            } else if (c == ',' && this == CONTACT) {
                name = NAME_NONE;
            } else if (c == '"') {
                i = closingQuote(line, i);
                if (i < 0) {
                    return null;
                }
                name = name == NAME_NONE ? NAME_QUOTED : NAME_BAD;
            } else if (c != ' ' && c != '\t') {
                name = name != NAME_BAD && name != NAME_QUOTED && RequestLineCheck.isTokenChar(c) ? NAME_TOKENS
                        : NAME_BAD;
            }
        }
        return null;
    }

    /** What the display name of the element being scanned is so far. */
    private static final int NAME_NONE = 0;
    private static final int NAME_TOKENS = 1;
    private static final int NAME_QUOTED = 2;
    private static final int NAME_BAD = 3;

    /** The index of the comma ending a Contact element (or the end), from {@code i}; quoted strings skipped. */
    private int endOfElement(String line, int i) {
        int n = line.length();
        for (int j = i + 1; j < n; j++) {
            char c = line.charAt(j);
            if (c == '"') {
                j = closingQuote(line, j);
                if (j < 0) {
                    return n;
                }
            } else if (c == ',' && this == CONTACT) {
                return j;
            }
        }
        return n;
    }

    /** The index of the quote closing the one at {@code open} (backslash escapes skipped), or -1. */
    private static int closingQuote(String line, int open) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }
}
