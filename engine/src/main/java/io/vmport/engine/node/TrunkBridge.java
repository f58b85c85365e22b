package io.vmport.engine.node;

import io.vmport.config.Integration;
import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.media.Codec;
import io.vmport.engine.media.MediaDirection;
import io.vmport.engine.media.MediaException;
import io.vmport.engine.pipeline.CallReply;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.Pipeline;
import io.vmport.engine.routing.RefuseCause;
import io.vmport.engine.voice.VoiceCall;
import io.vmport.engine.voice.VoicePorts;
import io.vmport.sip.EndReason;
import io.vmport.sip.Refusal;
import io.vmport.sip.SdpMedia;
import io.vmport.sip.SipCall;
import io.vmport.sip.SipTrunkListener;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the SIP trunk to the pipeline (SPEC CA-1, CA-2). An INVITE becomes an offer with a {@link CallReply} that
 * answers, redirects, refuses or hangs up the {@link SipCall}; a full ring is refused at once with 503 (overload
 * shedding, BI-1). ACK and the end of a call become answered/ended events for the port the call holds.
 *
 * <p>Every answered call gets its own media session from {@link VoicePorts} before the 200 OK, connected to the
 * offer's address with the codec the answer chose; the answer names the session's port, and the call's end closes
 * it (SPEC MD-1). A range with no free port turns the call down with 503, as a full server would.
 *
 * <p>Replies run on the pipeline's reply thread, which must never wait for ring capacity: an end that the reply
 * thread itself causes (an answer that fails, so the call ends inside {@code answer}) is published from
 * {@code offThread} instead. The reply thread is recognised by identity ({@link Pipeline#onStageThread()}).
 */
final class TrunkBridge implements SipTrunkListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrunkBridge.class);
    /**
     * Measurement switch, {@code -Dvmport.media=off} (default {@code on}): calls are answered without a media
     * session or conversation, the answer naming the discard port, as before the voice existed. Only for measuring
     * what the media costs a call's setup beside the same build (BENCHMARKS.md, issue 13); never in service.
     */
    static final String MEDIA_PROPERTY = "vmport.media";
    /** The port an answer names when the media is off: nothing listens there. */
    private static final int DISCARD_PORT = 9;

    private final ServerName self;
    private final Integration integration;
    private final Pipeline pipeline;
    private final Function<ServerName, String> sipUriOf;
    private final Executor offThread;
    private final VoicePorts voice;
    private final boolean mediaOff = mediaOff(System.getProperty(MEDIA_PROPERTY));

    /**
     * @param sipUriOf  the SIP URI to redirect to for a server ({@code sip:host:port}), or null when unknown
     * @param offThread where ends caused on a pipeline thread are published
     * @param voice     where each answered call's media session comes from
     */
    TrunkBridge(ServerName self, Integration integration, Pipeline pipeline, Function<ServerName, String> sipUriOf,
                Executor offThread, VoicePorts voice) {
        this.self = self;
        this.integration = integration;
        this.pipeline = pipeline;
        this.sipUriOf = sipUriOf;
        this.offThread = offThread;
        this.voice = voice;
    }

    /** Whether {@link #MEDIA_PROPERTY} turns the media off; a value other than on or off is refused. */
    static boolean mediaOff(String value) {
        if (value == null || value.equals("on")) {
            return false;
        }
        if (value.equals("off")) {
            LOG.warn("-D{}=off: calls are answered WITHOUT media or conversation (a measurement switch)",
                    MEDIA_PROPERTY);
            return true;
        }
        throw new IllegalArgumentException("system property " + MEDIA_PROPERTY + " has value '" + value
                + "'; allowed: on (the default) or off (measurements only)");
    }

    @Override
    public void onInvite(SipCall call) {
        boolean offered;
        try {
            offered = pipeline.producer().tryOffer(self, portHint(call), call.callId(), call.caller(), call.called(),
                    call.redirecting(), reason(call.reason()), new Reply(call));
        } catch (RuntimeException e) {
            LOG.warn("{}: offer of call {} failed: {}", self.configName(), call.callId(), e.toString());
            offered = false;
        }
        if (!offered) {
            call.refuse(Refusal.NOT_TAKING_CALLS);
        }
    }

    @Override
    public void onConnected(SipCall call) {
        int port = call.enginePortIndex();
        if (port >= 0) {
            publish(() -> pipeline.producer().answered(port, call.callId()));
        }
    }

    /** SPEC MD-1: the SDP answer in the ACK, or a re-INVITE's hold, resume or new address: the session follows. */
    @Override
    public void onMediaChanged(SipCall call) {
        int port = call.enginePortIndex();
        VoiceCall media = port < 0 ? null : voice.call(port);
        if (media == null || !media.callId().equals(call.callId())) {
            return; // over already, or never had media
        }
        try {
            connect(media, call.media());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: call {} on port {}: its new media {} cannot be used ({}); it keeps the old", self.configName(),
                    call.callId(), port, call.media(), e.getMessage());
        }
    }

    /** Points the call's session where the SDP says, with its codec, payload types and direction (MD-1). */
    private static void connect(VoiceCall media, SdpMedia sdp) {
        media.connect(sdp.remote(), Codec.valueOf(sdp.codec()), sdp.payloadType(), sdp.dtmfPayloadType(),
                MediaDirection.of(sdp.sends(), sdp.receives()));
    }

    @Override
    public void onEnded(SipCall call, EndReason reason) {
        int port = call.enginePortIndex();
        if (port < 0) {
            return; // ended before the engine answered: the failed answer reports the end (Reply.answer)
        }
        voice.ended(port, call.callId());
        ended(port, call.callId());
    }

    @Override
    public boolean takingCalls() {
        ClusterView view = pipeline.clusterView();
        return view != null && view.status(self).answersCalls() && view.server(self).takingCalls();
    }

    private void ended(int port, String callId) {
        if (pipeline.onStageThread()) { // the reply thread: a failed answer, or an end it caused synchronously
            offThread.execute(() -> publish(() -> pipeline.producer().ended(port, callId)));
        } else {
            publish(() -> pipeline.producer().ended(port, callId));
        }
    }

    private void publish(Runnable r) {
        try {
            r.run();
        } catch (IllegalStateException stopping) {
            LOG.debug("{}: call event not published: {}", self.configName(), stopping.getMessage());
        }
    }

    /** The port the phone system named: the gateway port in the Request-URI user for PIMG/TIMG, else none. */
    private int portHint(SipCall call) {
        if (integration != Integration.PIMG) {
            return -1;
        }
        String user = call.requestUriUser();
        try {
            int n = Integer.parseInt(user);
            return n >= 0 ? n : 0;
        } catch (NumberFormatException e) {
            return 0; // no such gateway port: the router refuses it as UNKNOWN_PORT
        }
    }

    /**
     * PIMG/TIMG: the redirect keeps the gateway port, {@code sip:host:port} becoming {@code sip:7@host:port}, so the
     * home server sees the port the call is for.
     */
    static String withUser(String sipUri, String user) {
        if (user == null || user.isEmpty() || !sipUri.startsWith("sip:") || sipUri.indexOf('@') >= 0) {
            return sipUri;
        }
        return "sip:" + user + "@" + sipUri.substring("sip:".length());
    }

    private static CallReason reason(io.vmport.sip.CallReason r) {
        if (r == null) {
            return CallReason.DIRECT;
        }
        return switch (r) {
            case DIRECT -> CallReason.DIRECT;
            case FORWARDED_BUSY -> CallReason.FORWARDED_BUSY;
            case FORWARDED_NO_ANSWER -> CallReason.FORWARDED_NO_ANSWER;
            case FORWARDED -> CallReason.FORWARDED_OTHER;
        };
    }

    /** The engine's handle on one SIP call; called on the reply thread. */
    private final class Reply implements CallReply {
        private final SipCall call;

        Reply(SipCall call) {
            this.call = call;
        }

        @Override
        public void answer(int portIndex) {
            call.setEnginePortIndex(portIndex);
            if (mediaOff) {
                if (!call.answer(DISCARD_PORT)) {
                    ended(portIndex, call.callId());
                }
                return;
            }
            VoiceCall media;
            try {
                media = voice.open(portIndex, call.callId(), call.caller(), call.redirecting(),
                        call.requestUriUser(), call::hangUp);
                SdpMedia offered = call.media();
                if (offered.offered()) {
                    connect(media, offered);
                } // else the offer goes in the 200 OK and the answer comes in the ACK (onMediaChanged)
            } catch (MediaException | IllegalArgumentException e) {
                LOG.warn("{}: no media session for call {} on port {}: {}; refusing 503", self.configName(),
                        call.callId(), portIndex, e.getMessage());
                voice.ended(portIndex, call.callId());
                call.refuse(Refusal.NOT_TAKING_CALLS);
                ended(portIndex, call.callId());
                return;
            }
            if (!call.answer(media.localPort())) {
                // Cancelled before the answer (onEnded saw no port) or the answer failed (onEnded may have
                // reported it too): report the end here; a second end of the same call is ignored by the router.
                voice.ended(portIndex, call.callId());
                ended(portIndex, call.callId());
                return;
            }
            media.start(); // MD-3: the greeting (or the opening, or the mailbox) plays from the 200 OK on
        }

        @Override
        public void redirect(ServerName to) {
            String uri = sipUriOf.apply(to);
            if (call.cameByRedirect()) {
                // the other server sent it here: bouncing it back would loop while both are full (CA-1)
                LOG.debug("{}: call {} came by redirect from {}; busy rather than back", self.configName(),
                        call.callId(), to.configName());
                call.refuse(Refusal.BUSY);
            } else if (uri == null) {
                LOG.warn("{}: cannot redirect call {} to {}: its SIP address is unknown; refusing 503",
                        self.configName(), call.callId(), to.configName());
                call.refuse(Refusal.NOT_TAKING_CALLS);
            } else {
                call.redirect(integration == Integration.PIMG ? withUser(uri, call.requestUriUser()) : uri);
            }
        }

        @Override
        public void refuse(RefuseCause cause) {
            call.refuse(switch (cause) {
                case NO_PORT_FREE, PORT_BUSY -> Refusal.BUSY;
                case NOT_TAKING_CALLS, OVERLOADED -> Refusal.NOT_TAKING_CALLS; // 503 + Retry-After
                // a gateway port outside the plan: the other server has none either, so no 503 inviting a retry
                case NOT_ALLOWED, UNKNOWN_PORT -> Refusal.FORBIDDEN;
            });
        }

        @Override
        public void hangUp() {
            call.hangUp();
        }
    }
}
