package io.vmport.sip;

import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trunk's first look at a UDP datagram, on the thread that receives it, before the stack queues it for its
 * parser threads (issue 16 item 6: at twice the clean rate the node spent its CPU parsing INVITEs it then refused,
 * and the refusals waited in the stack's queue behind everything else until the PBX retransmitted them). Here,
 * without the stack's parser ({@link RawInvite} reads the few fields it needs):
 * <ul>
 * <li>an answer to an MWI NOTIFY ({@link NotifyTransactions}) from a trunk source is taken;</li>
 * <li>the ACK of a response sent without a transaction is dropped;</li>
 * <li>a retransmission of an INVITE refused already gets the stateless 503 again;</li>
 * <li>a new INVITE from a trunk source while the trunk is full by its counts ({@link NewCallAdmission#full()}: its
 * ports full of calls being set up, at twice the clean rate nearly every refusal) gets the stateless 503 with
 * Retry-After at once, and is remembered as refused, so that a copy of it still in the stack's queue is refused
 * there too. A copy of an INVITE the {@link TrunkGate} let in is never refused (its table of INVITEs let in, then the
 * stack's transactions): its call may be answered already.</li>
 * </ul>
 * Everything else, and every datagram {@link RawInvite} cannot read, goes on to the stack as before, where the
 * {@link TrunkGate} answers what is refused there (bad requests, outsiders, calls the counts refuse once they have
 * caught up with the queue, and those the overload guard refuses). One per socket: it is used by that socket's
 * receiving thread only.
 */
final class ArrivalGate {

    private static final Logger LOG = LoggerFactory.getLogger(ArrivalGate.class);

    private final Predicate<InetAddress> allow;
    private final SIPTransactionStack stack;
    private final TrunkCounters counters;
    private final NewCallAdmission admission;
    private final int retryAfterSeconds;
    private final NotifyTransactions notifies;
    private final RawInvite invite = new RawInvite();
    private final DatagramPacket reply = new DatagramPacket(new byte[0], 0);
    private InetAddress lastSource;
    private String lastSourceText;

    ArrivalGate(SipTrunkSettings settings, SIPTransactionStack stack, TrunkCounters counters,
            NewCallAdmission admission, NotifyTransactions notifies) {
        this.allow = settings.allow();
        this.notifies = notifies;
        this.stack = stack;
        this.counters = counters;
        this.admission = admission;
        this.retryAfterSeconds = settings.retryAfterSeconds();
    }

    /** True when the datagram was dealt with here (dropped or answered) and must not reach the stack. */
    boolean consumed(DatagramPacket packet, DatagramSocket socket) {
        byte[] data = packet.getData();
        int offset = packet.getOffset();
        int length = packet.getLength();
        if (StrictRequestParser.isAckOfStatelessResponse(data, offset, length)) {
            return true;
        }
        if (data[offset] == 'S' && TrunkGate.allowed(allow, packet.getAddress())
                && notifies.consumedResponse(data, offset, length)) {
            return true;
        }
        if (!invite.decode(data, offset, length) || invite.inDialog()) {
            return false;
        }
        InetAddress source = packet.getAddress();
        if (!TrunkGate.allowed(allow, source)) {
            return false; // the trunk gate answers 403
        }
        long hash = invite.transactionIdHash();
        if (admission.shed.contains(hash)) {
            if (!write503(packet)) {
                return false;
            }
            counters.countAbsorbed();
            send503(packet, socket);
            return true;
        }
        if (admission.taken.contains(hash) || !admission.full()) {
            return false; // a copy of an INVITE let in (the trunk gate drops it), or the trunk gate decides
        }
        String id = invite.transactionId();
        if (stack.findTransaction(id, true) != null || stack.findPendingTransaction(id) != null) {
            return false; // a copy of an INVITE let in whose entry was overwritten since
        }
        if (!write503(packet)) {
            return false;
        }
        admission.shed.remember(hash);
        counters.countOverloadOnArrival();
        send503(packet, socket);
        return true;
    }

    /** Writes the stateless 503 for the INVITE just decoded; false when it cannot (the stack answers instead). */
    private boolean write503(DatagramPacket packet) {
        InetAddress source = packet.getAddress();
        if (!source.equals(lastSource)) {
            lastSource = source;
            lastSourceText = source.getHostAddress();
        }
        return invite.write503(lastSourceText, packet.getPort(), retryAfterSeconds,
                ThreadLocalRandom.current().nextLong());
    }

    /** Sends what {@link #write503} wrote; counted first, so that a PBX holding the 503 finds it counted. */
    private void send503(DatagramPacket packet, DatagramSocket socket) {
        counters.countResponse(true, 503);
        InetAddress source = packet.getAddress();
        reply.setData(invite.response(), 0, invite.responseLength());
        reply.setAddress(source);
        reply.setPort(invite.responsePort(packet.getPort()));
        try {
            socket.send(reply);
        } catch (IOException e) {
            LOG.debug("sip: cannot send a stateless 503 to {}:{}: {}", source, reply.getPort(), e.toString());
        }
    }
}
