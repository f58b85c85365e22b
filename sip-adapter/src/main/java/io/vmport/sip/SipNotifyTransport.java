package io.vmport.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;

/**
 * Sends each MWI NOTIFY as a new out-of-dialog client transaction of the trunk's stack, over UDP:
 *
 * <pre>
 * NOTIFY sip:1001@pbx:5060 SIP/2.0
 * Via: SIP/2.0/UDP trunk:port;branch=z9hG4bK...
 * From: "vmport" &lt;sip:vmport@trunk:port&gt;;tag=...
 * To: &lt;sip:1001@pbx&gt;
 * Call-ID: ...                      (new per NOTIFY)
 * CSeq: 1 NOTIFY
 * Contact: &lt;sip:vmport@trunk:port&gt;
 * Max-Forwards: 70
 * Event: message-summary
 * Subscription-State: active
 * Content-Type: application/simple-message-summary
 *
 * Messages-Waiting: yes
 * Message-Account: sip:1001@pbx
 * Voice-Message: 2/1 (0/0)
 * </pre>
 *
 * {@code Subscription-State: active} although no subscription exists: RFC 3265 (and 6665, section 4.1.3) make the
 * header mandatory in every NOTIFY, so a strict receiver answers 400 without it, and JAIN-SIP itself refuses to
 * send a NOTIFY lacking it. Receivers of unsolicited MWI (CallManager with "Accept unsolicited notification" on
 * the trunk's SIP profile, Asterisk) match on Event and the body and ignore the header; {@code active} rather
 * than {@code terminated}, which a receiver could take as the end of a subscription it holds for the mailbox.
 * Each transaction gets T1 = {@link MwiSettings#transactionT1Ms()}, so no answer is reported after 64 x T1.
 */
final class SipNotifyTransport implements NotifyTransport {

    private final SipProvider provider;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final MessageFactory messages;
    private final MwiSettings settings;
    private final String localHost;
    private final int localPort;
    private final String targetHost;
    private final Address from;
    private final ContactHeader contact;
    private final MaxForwardsHeader maxForwards;
    private final ContentTypeHeader contentType;
    private final SubscriptionStateHeader subscriptionState;

    SipNotifyTransport(SipProvider provider, HeaderFactory headers, AddressFactory addresses, MessageFactory messages,
            String contactHost, MwiSettings settings) {
        ListeningPoint udp = provider.getListeningPoint(ListeningPoint.UDP);
        if (udp == null) {
            throw new IllegalStateException("mwi to " + settings.targetHost() + ":" + settings.targetPort()
                    + ": the trunk does not listen on UDP, which MWI NOTIFYs are sent over");
        }
        this.provider = provider;
        this.headers = headers;
        this.addresses = addresses;
        this.messages = messages;
        this.settings = settings;
        this.localHost = contactHost;
        this.localPort = udp.getPort();
        this.targetHost = settings.targetHost().indexOf(':') >= 0 ? "[" + settings.targetHost() + "]"
                : settings.targetHost();
        try {
            SipURI self = addresses.createSipURI("vmport", localHost);
            self.setPort(localPort);
            this.from = addresses.createAddress("vmport", self);
            this.contact = headers.createContactHeader(addresses.createAddress(self));
            this.maxForwards = headers.createMaxForwardsHeader(70);
            this.contentType = headers.createContentTypeHeader("application", "simple-message-summary");
            this.subscriptionState = headers.createSubscriptionStateHeader(SubscriptionStateHeader.ACTIVE);
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("mwi: cannot build headers for " + localHost + ":" + localPort
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void send(MwiState state, Completion done) throws Exception {
        SipURI requestUri = addresses.createSipURI(state.extension(), settings.targetHost());
        requestUri.setPort(settings.targetPort());
        Address to = addresses.createAddress(addresses.createSipURI(state.extension(), settings.targetHost()));
        Request notify = messages.createRequest(requestUri, Request.NOTIFY, provider.getNewCallId(),
                headers.createCSeqHeader(1L, Request.NOTIFY), headers.createFromHeader(from, Responder.newTag()),
                headers.createToHeader(to, null), List.of(headers.createViaHeader(localHost, localPort,
                        ListeningPoint.UDP, null)), maxForwards, contentType, body(state));
        notify.addHeader(contact);
        notify.addHeader(headers.createEventHeader("message-summary"));
        notify.addHeader(subscriptionState);
        ClientTransaction tx = provider.getNewClientTransaction(notify);
        tx.setRetransmitTimer(settings.transactionT1Ms());
        tx.setApplicationData(done);
        tx.sendRequest();
    }

    /** The RFC 3842 body; urgent counts are not kept, so always (0/0). */
    byte[] body(MwiState state) {
        return ("Messages-Waiting: " + (state.waiting() ? "yes" : "no") + "\r\n"
                + "Message-Account: sip:" + state.extension() + "@" + targetHost + "\r\n"
                + "Voice-Message: " + state.newMessages() + "/" + state.oldMessages() + " (0/0)\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
