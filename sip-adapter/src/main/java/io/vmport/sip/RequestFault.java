package io.vmport.sip;

/**
 * Why a request breaks RFC 3261's grammar (section 25), as the status and reason phrase of the answer the
 * {@link TrunkGate} sends: 400, or 505 for another SIP version. Found by the {@link StrictRequestParser} and carried
 * to the gate as the request's application data. The faults that need no detail are constants, so that finding one
 * allocates nothing.
 */
record RequestFault(int statusCode, String reasonPhrase) {

    static final RequestFault TWO_SPACES = bad("Bad request line: two spaces");
    static final RequestFault SPACE_AT_END = bad("Bad request line: space at the end");
    static final RequestFault REQUEST_LINE = bad("Bad request line: not Method SP Request-URI SP SIP-Version");
    static final RequestFault VERSION = bad("Bad request line: SIP version");
    static final RequestFault VERSION_NOT_SUPPORTED = new RequestFault(505, "Version Not Supported");
    static final RequestFault HEADERS_IN_REQUEST_URI = bad("Headers not allowed in the Request-URI");
    static final RequestFault HEADER_LINE = bad("Bad header line");
    static final RequestFault BODY_SHORTER_THAN_CONTENT_LENGTH = bad("Content-Length larger than the body");

    static RequestFault bad(String reasonPhrase) {
        return new RequestFault(400, reasonPhrase);
    }

    /** The fault found first in {@code request} is the one answered; later ones do not replace it. */
    static void record(gov.nist.javax.sip.message.SIPMessage request, RequestFault fault) {
        if (request.getApplicationData() == null) {
            request.setApplicationData(fault);
        }
    }
}
