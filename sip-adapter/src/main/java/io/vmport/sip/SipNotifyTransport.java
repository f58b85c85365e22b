package io.vmport.sip;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Sends each MWI NOTIFY as a new out-of-dialog request from the trunk's UDP socket, written straight to bytes and
 * kept as a {@link NotifyTransactions} transaction, not one of the JAIN-SIP stack (issue 14: 10,000 stack
 * transactions for MW-3 slowed the calls beside them):
 *
 * <pre>
 * NOTIFY sip:1001@pbx:5060 SIP/2.0
 * Via: SIP/2.0/UDP trunk:port;branch=z9hG4bKvmwi...   (NotifyTransactions names it)
 * From: "vmport" &lt;sip:vmport@trunk:port&gt;;tag=...
 * To: &lt;sip:1001@pbx&gt;
 * Call-ID: ...                      (new per NOTIFY)
 * CSeq: 1 NOTIFY
 * Contact: &lt;sip:vmport@trunk:port&gt;
 * Max-Forwards: 70
 * Event: message-summary
 * Subscription-State: active
 * Content-Type: application/simple-message-summary
 * Content-Length: ...
 *
 * Messages-Waiting: yes
 * Message-Account: sip:1001@pbx
 * Voice-Message: 2/1 (0/0)
 * </pre>
 *
 * {@code Subscription-State: active} although no subscription exists: RFC 3265 (and 6665, section 4.1.3) make the
 * header mandatory in every NOTIFY, so a strict receiver answers 400 without it. Receivers of unsolicited MWI
 * (CallManager with "Accept unsolicited notification" on the trunk's SIP profile, Asterisk) match on Event and the
 * body and ignore the header; {@code active} rather than {@code terminated}, which a receiver could take as the
 * end of a subscription it holds for the mailbox. Each transaction gets T1 = {@link MwiSettings#transactionT1Ms()},
 * so no answer is reported after 64 x T1.
 */
final class SipNotifyTransport implements NotifyTransport {

    private final NotifyTransactions transactions;
    private final MwiSettings settings;
    private final String targetHost;
    private final String self;
    private final String via;

    SipNotifyTransport(NotifyTransactions transactions, String contactHost, int localPort, MwiSettings settings) {
        this.transactions = transactions;
        this.settings = settings;
        this.targetHost = uriHost(settings.targetHost());
        this.self = "sip:vmport@" + uriHost(contactHost) + ":" + localPort;
        this.via = "Via: SIP/2.0/UDP " + uriHost(contactHost) + ":" + localPort + ";branch=";
    }

    @Override
    public void send(MwiState state, Completion done) throws Exception {
        long id = transactions.newId();
        transactions.start(id, request(state, id), new InetSocketAddress(settings.targetHost(),
                settings.targetPort()), settings.transactionT1Ms(), done);
    }

    /** The whole NOTIFY of transaction {@code id}, in ASCII (hosts, numbers and an extension of ASCII only). */
    byte[] request(MwiState state, long id) {
        String body = body(state);
        String callId = transactions.callId(id);
        return ("NOTIFY sip:" + state.extension() + "@" + targetHost + ":" + settings.targetPort() + " SIP/2.0\r\n"
                + via + transactions.branch(id) + "\r\n"
                + "From: \"vmport\" <" + self + ">;tag=" + Integer.toHexString(callId.hashCode()) + "\r\n"
                + "To: <sip:" + state.extension() + "@" + targetHost + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 NOTIFY\r\n"
                + "Contact: <" + self + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + "Event: message-summary\r\n"
                + "Subscription-State: active\r\n"
                + "Content-Type: application/simple-message-summary\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n"
                + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** The RFC 3842 body; urgent counts are not kept, so always (0/0). */
    String body(MwiState state) {
        return "Messages-Waiting: " + (state.waiting() ? "yes" : "no") + "\r\n"
                + "Message-Account: sip:" + state.extension() + "@" + targetHost + "\r\n"
                + "Voice-Message: " + state.newMessages() + "/" + state.oldMessages() + " (0/0)\r\n";
    }

    /** An IPv6 literal in brackets, as in a SIP URI; anything else as it is. */
    static String uriHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
