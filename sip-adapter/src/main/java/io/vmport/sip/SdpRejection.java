package io.vmport.sip;

/** An SDP offer the trunk cannot answer, with the SIP status to send: 400 when broken, 488 when unacceptable. */
final class SdpRejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final int statusCode;

    SdpRejection(int statusCode, String reason) {
        super(reason, null, false, false); // no stack trace: this is an answer, not a bug
        this.statusCode = statusCode;
    }

    int statusCode() {
        return statusCode;
    }
}
