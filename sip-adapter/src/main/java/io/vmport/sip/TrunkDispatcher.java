package io.vmport.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's listener: routes each request by method to the call it belongs to, and the stack's timeouts and
 * terminations to the calls. Runs on the stack's pool threads (re-entrant listener); never throws back into
 * the stack. What reaches it already passed the {@link TrunkGate} (access list, overload).
 */
final class TrunkDispatcher implements SipListenerExt {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkDispatcher.class);

    private final SipTrunkListener listener;
    private final Responder responder;
    private final TrunkCounters counters;
    private final TrunkCalls calls;
    private final int maxCalls;

    TrunkDispatcher(SipTrunkListener listener, Responder responder, TrunkCalls calls, SipTrunkSettings settings) {
        this.listener = listener;
        this.responder = responder;
        this.counters = responder.counters;
        this.calls = calls;
        this.maxCalls = settings.maxCalls();
    }

    @Override
    public void processRequest(RequestEvent event) {
        SIPRequest request = (SIPRequest) event.getRequest();
        try {
            switch (request.getMethod()) {
                case Request.INVITE -> {
                    if (request.getToTag() == null) {
                        invite(event, request);
                    } else {
                        reInvite(event, request);
                    }
                }
                case Request.ACK -> ack(event);
                case Request.BYE -> bye(event, request);
                case Request.CANCEL -> cancel(event, request);
                case Request.OPTIONS -> options(event, request);
                default -> responder.reject(event, responder.withAllow(
                        Responder.create(request, Response.METHOD_NOT_ALLOWED, Responder.newTag())));
            }
        } catch (RuntimeException e) {
            LOG.warn("sip: {} from {} (call-id {}) failed: {}", request.getMethod(), request.getRemoteAddress(),
                    request.getCallId() == null ? "?" : request.getCallId().getCallId(), e.toString(), e);
        } catch (OutOfMemoryError e) {
            // the stack's pool thread would die with it, and SIP would stop one thread at a time
            LOG.error("sip: out of memory handling {} ({} calls active)", request.getMethod(),
                    counters.activeCalls());
        }
    }

    private void invite(RequestEvent event, SIPRequest request) {
        if (request.getHeader("Contact") == null) {
            responder.reject(event, Responder.create(request, Response.BAD_REQUEST, Responder.newTag(),
                    "Missing Contact header"));
            return;
        }
        String unsupported = requiredExtensions(request);
        if (unsupported != null) {
            SIPResponse bad = Responder.create(request, Response.BAD_EXTENSION, Responder.newTag());
            bad.setHeader(new gov.nist.javax.sip.header.Unsupported(unsupported));
            responder.reject(event, bad);
            return;
        }
        byte[] body = request.getRawContent();
        ContentTypeHeader type = request.getContentTypeHeader();
        if (body != null && body.length > 0 && (type == null || !"application".equalsIgnoreCase(type.getContentType())
                || !"sdp".equalsIgnoreCase(type.getContentSubType()))) {
            responder.reject(event, responder.withAcceptSdp(
                    Responder.create(request, Response.UNSUPPORTED_MEDIA_TYPE, Responder.newTag())));
            return;
        }
        SdpOffer offer;
        try {
            offer = SdpAnswerer.parse(body);
        } catch (SdpRejection r) {
            responder.reject(event, Responder.create(request, r.statusCode(), Responder.newTag(), r.getMessage()));
            return;
        }
        if (!counters.admitCall(maxCalls)) {
            counters.countOverload();
            responder.reject(event, responder.withRetryAfter(
                    Responder.create(request, Response.SERVICE_UNAVAILABLE, Responder.newTag())));
            return;
        }
        ServerTransaction tx = event.getServerTransaction();
        SipCall call;
        try {
            if (tx == null) {
                tx = responder.provider.getNewServerTransaction(request);
            }
            tx.sendResponse(Responder.create(request, Response.TRYING, null));
            call = new SipCall(calls, tx, request, offer);
        } catch (TransactionAlreadyExistsException e) {
            counters.releaseCall();
            counters.countAbsorbed();
            return;
        } catch (SipException | javax.sip.InvalidArgumentException e) {
            counters.releaseCall();
            counters.countOverload();
            LOG.debug("sip: no transaction for INVITE {}: {}", request.getCallId().getCallId(), e.toString());
            responder.reject(event, responder.withRetryAfter(
                    Responder.create(request, Response.SERVICE_UNAVAILABLE, Responder.newTag())));
            return;
        } catch (RuntimeException e) {
            counters.releaseCall();
            LOG.warn("sip: cannot take INVITE {} from {}: {}", request.getCallId().getCallId(),
                    request.getRemoteAddress(), e.toString(), e);
            counters.countResponse(true, Response.SERVER_INTERNAL_ERROR);
            responder.send(tx, Responder.create(request, Response.SERVER_INTERNAL_ERROR, Responder.newTag()));
            return;
        }
        tx.setApplicationData(call);
        counters.countOffered();
        try {
            listener.onInvite(call);
        } catch (RuntimeException e) {
            LOG.error("sip: listener failed on INVITE {}; answering 500: {}", call, e.toString(), e);
            call.refuse(Response.SERVER_INTERNAL_ERROR);
        }
    }

    /** The option tags of the INVITE's Require headers (the trunk supports none), or null. */
    private static String requiredExtensions(SIPRequest request) {
        if (request.getHeader(RequireHeader.NAME) == null) {
            return null; // getHeaders would allocate an empty iterator for every INVITE
        }
        java.util.ListIterator<?> require = request.getHeaders(RequireHeader.NAME);
        String tags = null;
        while (require != null && require.hasNext()) {
            String tag = ((RequireHeader) require.next()).getOptionTag();
            tags = tags == null ? tag : tags + ", " + tag;
        }
        return tags;
    }

    private void reInvite(RequestEvent event, SIPRequest request) {
        SipCall call = callOf(event.getDialog());
        ServerTransaction tx = event.getServerTransaction();
        if (call == null || tx == null) {
            responder.reject(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        call.reInvite(tx, request);
    }

    private void ack(RequestEvent event) {
        SipCall call = callOf(event.getDialog());
        if (call != null) {
            call.acked((SIPRequest) event.getRequest());
        }
    }

    private void bye(RequestEvent event, SIPRequest request) {
        SipCall call = callOf(event.getDialog());
        ServerTransaction tx = event.getServerTransaction();
        if (call == null || tx == null) {
            responder.reject(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        responder.send(tx, Responder.create(request, Response.OK, null));
        call.remoteBye();
    }

    private void cancel(RequestEvent event, SIPRequest request) {
        ServerTransaction tx = event.getServerTransaction();
        ServerTransaction invite = tx == null ? null : ((SIPServerTransaction) tx).getCanceledInviteTransaction();
        if (invite == null) {
            responder.reject(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        if (invite.getApplicationData() instanceof SipCall call) {
            call.cancelled(tx, request);
        } else {
            responder.send(tx, Responder.create(request, Response.OK, Responder.newTag()));
        }
    }

    private void options(RequestEvent event, SIPRequest request) {
        boolean taking;
        try {
            taking = listener.takingCalls();
        } catch (RuntimeException e) {
            LOG.error("sip: listener failed on takingCalls(); answering OPTIONS 503: {}", e.toString(), e);
            taking = false;
        }
        SIPResponse response = Responder.create(request, taking ? Response.OK : Response.SERVICE_UNAVAILABLE,
                Responder.newTag());
        responder.withAcceptSdp(responder.withAllow(response));
        if (!taking) {
            responder.withRetryAfter(response);
        }
        responder.reject(event, response);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction tx = event.getClientTransaction();
        int status = event.getResponse().getStatusCode();
        if (tx == null || status < 200) {
            return;
        }
        if (tx.getApplicationData() instanceof SipCall call) {
            call.byeCompleted();
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        Object data = event.getClientTransaction().getApplicationData();
        if (data instanceof SipCall call) {
            call.byeCompleted();
        }
    }

    @Override
    public void processDialogTimeout(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        SipCall call = callOf(dialog);
        if (call != null && event.getReason() == DialogTimeoutEvent.Reason.AckNotReceived) {
            call.noAck();
        } else if (dialog != null) {
            dialog.delete();
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        SipCall call = callOf(event.getDialog());
        if (call != null) {
            call.dialogGone();
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("sip: I/O error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing to do: calls end on BYE, CANCEL, our BYE's answer or the dialog's end
    }

    private static SipCall callOf(Dialog dialog) {
        return dialog != null && dialog.getApplicationData() instanceof SipCall call ? call : null;
    }
}
