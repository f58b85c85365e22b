package io.vmport.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.net.InetAddress;
import java.util.function.Predicate;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The first thing every request meets, before the stack makes a transaction or a dialog for it (a JAIN-SIP
 * message valve). It answers statelessly, so that what it refuses costs no memory:
 * <ul>
 * <li>a source outside the trunk's allowed list: 403 (an ACK is dropped);</li>
 * <li>a request that breaks RFC 3261's grammar or lacks Call-ID, From, To or CSeq (its {@link RequestFault}, found
 * by the {@link StrictRequestParser}): 400 (505 for another SIP version) saying what is wrong;</li>
 * <li>a new INVITE that {@link NewCallAdmission} refuses (the trunk full, a queue of set-ups, or behind): 503 with
 * Retry-After. Over UDP most are refused before this, on their arrival ({@link ArrivalGate}), without being
 * parsed;</li>
 * <li>a CANCEL: matched to its INVITE by branch in O(1) and handled here (the stack would scan its whole
 * transaction table); a CANCEL that matches nothing gets 481.</li>
 * </ul>
 * A retransmitted INVITE is let through to be absorbed by its transaction, and counted; one whose first copy got
 * 503 gets 503 again ({@link RecentInvites}), so that a call the PBX was told to take elsewhere is never answered;
 * one whose first copy was let in but has no transaction (still being made on another thread, or ended with the
 * 2xx) is dropped. Under overload, when the receive queue passes T1 and the PBX retransmits, both would otherwise
 * answer calls the PBX has given up, each holding a port unacknowledged for 32 s (issue 16: the publisher's ports
 * full of RINGING calls, every further call redirected).
 */
final class TrunkGate implements SIPMessageValve {

    private static final String MAGIC_COOKIE = "z9hG4bK";

    private final Predicate<InetAddress> allow;
    private final SIPTransactionStack stack;
    private final Responder responder;
    private final TrunkCounters counters;
    private final NewCallAdmission admission;

    TrunkGate(SipTrunkSettings settings, SIPTransactionStack stack, Responder responder, NewCallAdmission admission) {
        this.allow = settings.allow();
        this.stack = stack;
        this.responder = responder;
        this.counters = responder.counters;
        this.admission = admission;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        String method = request.getMethod();
        InetAddress source = request.getPeerPacketSourceAddress();
        if (source == null) {
            source = request.getRemoteAddress();
        }
        if (source == null || !allowed(allow, source)) {
            if (!Request.ACK.equals(method)) {
                refuse(request, Response.FORBIDDEN);
            }
            return false;
        }
        if (request.getApplicationData() instanceof RequestFault fault) {
            if (!Request.ACK.equals(method)) {
                refuse(request, fault.statusCode(), fault.reasonPhrase());
            }
            return false;
        }
        if (Request.INVITE.equals(method) && request.getToTag() == null) {
            String id = request.getTransactionId();
            if (stack.findTransaction(id, true) != null || stack.findPendingTransaction(id) != null) {
                counters.countAbsorbed();
                return true;
            }
            long hash = RecentInvites.hash(id);
            if (admission.shed.contains(hash)) {
                // a retransmission of an INVITE already refused: refused again, never answered (RecentInvites)
                counters.countAbsorbed();
                refuse(request, Response.SERVICE_UNAVAILABLE);
                return false;
            }
            if (admission.taken.contains(hash)) {
                // a copy of an INVITE let in already whose transaction is not (or no longer) in the table: its
                // original is being handled on another thread, or was answered 2xx (the dialog retransmits that
                // 200). Refused, it would end a call that is going on at the PBX (which then never ACKs the 200
                // and the port stays held 32 s); taken for a new call, it would get 482 or a second port.
                counters.countAbsorbed();
                return false;
            }
            boolean full = admission.full();
            if (full || !admission.guardAdmits()) { // the guard is asked only when the counts admit
                if (full) {
                    counters.countOverload();
                } else {
                    counters.countOverloadByGuard();
                }
                admission.shed.remember(hash);
                refuse(request, Response.SERVICE_UNAVAILABLE);
                return false;
            }
            if (!admission.taken.add(hash)) {
                counters.countAbsorbed(); // its copy passed on another thread just now
                return false;
            }
            return true;
        }
        if (Request.CANCEL.equals(method)) {
            return cancel(request);
        }
        return true;
    }

    /** True when the stack must handle the CANCEL itself (old-style branch, or the call is being set up). */
    private boolean cancel(SIPRequest cancel) {
        String branch = cancel.getTopmostVia().getBranch();
        if (branch == null || !branch.regionMatches(true, 0, MAGIC_COOKIE, 0, MAGIC_COOKIE.length())) {
            return true;
        }
        String inviteId = branch.toLowerCase();
        SIPTransaction invite = stack.findTransaction(inviteId, true);
        if (invite == null) {
            if (stack.findPendingTransaction(inviteId) != null) {
                return true;
            }
            refuse(cancel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return false;
        }
        if (!(invite.getApplicationData() instanceof SipCall call)) {
            return true;
        }
        call.cancelled(null, cancel);
        return false;
    }

    /** Whether {@code source} is a trunk source; a predicate that throws says no. */
    static boolean allowed(Predicate<InetAddress> allow, InetAddress source) {
        try {
            return allow.test(source);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void refuse(SIPRequest request, int statusCode) {
        refuse(request, statusCode, null);
    }

    private void refuse(SIPRequest request, int statusCode, String reasonPhrase) {
        var response = Responder.create(request, statusCode, Responder.statelessTag(), reasonPhrase);
        if (statusCode == Response.SERVICE_UNAVAILABLE) {
            responder.withRetryAfter(response);
        }
        counters.countResponse(Request.INVITE.equals(request.getMethod()), statusCode);
        responder.send(null, response);
    }

    /** Responses (to the trunk's BYEs) are taken from allowed sources only, so no outsider ends a call. */
    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        InetAddress source = ((SIPResponse) response).getPeerPacketSourceAddress();
        if (source == null) {
            source = ((SIPResponse) response).getRemoteAddress();
        }
        return source != null && allowed(allow, source);
    }

    @Override
    public void init(SipStack stack) {
        // built by SipTrunk, not by the stack
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
