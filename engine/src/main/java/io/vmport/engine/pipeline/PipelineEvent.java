package io.vmport.engine.pipeline;

import io.vmport.engine.calls.CallReason;

import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.routing.RoutingDecision;

/**
 * One preallocated slot of the ring, reused for every event that passes through it.
 *
 * <p>Producers fill every field they own (see {@link PipelineProducer}); the router stage then clamps
 * {@link #nowNs()} so that time never goes backwards, writes the {@link #decision()} and marks the event
 * {@link #routed()}; the reply, journal and monitor stages only read; the release stage {@link #clear()}s
 * it so that the slot holds no reference to a finished call. Strings are the producer's, never copied.
 */
public final class PipelineEvent {
    EventType type;
    long nowNs;
    ServerName server;
    int port = -1;
    String callId;
    String caller;
    String called;
    String redirecting;
    CallReason reason;
    CallReply reply;
    /** What the cluster did for a control event (admin action, heartbeat, tick...), or null; set by the router. */
    ActionResult result;
    /** After a call event: the port's state as the router left it ({@link io.vmport.engine.ports.PortState}). */
    byte portState = -1;
    /**
     * Ports whose state the event changed besides {@link #port} (a status change, a dropped server), as
     * {@code port << 8 | stateOrdinal} ({@link io.vmport.engine.ports.PortTable#changes()}), for the monitor; else
     * null. O(changed), never a copy of every port.
     */
    int[] portChanges;
    Object payload;
    boolean routed;
    final RoutingDecision decision = new RoutingDecision();

    PipelineEvent() {
    }

    void fillCall(EventType type, long nowNs, ServerName server, int port, String callId, String caller,
                  String called, String redirecting, CallReason reason, CallReply reply) {
        this.type = type;
        this.nowNs = nowNs;
        this.server = server;
        this.port = port;
        this.callId = callId;
        this.caller = caller;
        this.called = called;
        this.redirecting = redirecting;
        this.reason = reason;
        this.reply = reply;
        this.result = null;
        this.portState = -1;
        this.portChanges = null;
        this.payload = null;
        this.routed = false;
    }

    void fillOther(EventType type, long nowNs, ServerName server, int port, Object payload) {
        fillCall(type, nowNs, server, port, null, null, null, null, null, null);
        this.payload = payload;
    }

    /** Forgets the event: releases every reference so that a finished call is not kept alive by the ring. */
    void clear() {
        fillOther(null, 0, null, -1, null);
        decision.reset();
    }

    public EventType type() {
        return type;
    }

    /** When the producer published it; after the router stage, never earlier than the event before. */
    public long nowNs() {
        return nowNs;
    }

    /** The server the call landed on, the target of an admin action, or the peer that sent a heartbeat. */
    public ServerName server() {
        return server;
    }

    /** The port hint of an offer (-1 for a SIP trunk), or the port of any other port event; -1 when none. */
    public int port() {
        return port;
    }

    public String callId() {
        return callId;
    }

    public String caller() {
        return caller;
    }

    public String called() {
        return called;
    }

    public String redirecting() {
        return redirecting;
    }

    public CallReason reason() {
        return reason;
    }

    public CallReply reply() {
        return reply;
    }

    /** What the cluster did for a control event, or null (calls, or before the router stage). */
    public ActionResult result() {
        return result;
    }

    /** The content of a heartbeat or network-check event; its type is owned by the producer of the event. */
    public Object payload() {
        return payload;
    }

    /**
     * True once the router stage has accepted the event: for an offer, the decision is valid. False when the
     * router failed on it (the failure is logged) or ignored it as stale (an answer or end for a call that
     * no longer holds the port); the stages after the router act only on routed events.
     */
    public boolean routed() {
        return routed;
    }

    /** The router's decision on an offer; valid when {@link #routed()}. */
    public RoutingDecision decision() {
        return decision;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(160).append(type).append("{nowNs=").append(nowNs);
        if (server != null) {
            b.append(", server=").append(server);
        }
        if (port != -1) {
            b.append(", port=").append(port);
        }
        if (callId != null) {
            b.append(", callId=").append(callId);
        }
        if (type == EventType.CALL_OFFERED) {
            b.append(", caller=").append(caller).append(", called=").append(called).append(", redirecting=")
                    .append(redirecting).append(", reason=").append(reason);
        }
        if (result != null) {
            b.append(", result=").append(result);
        }
        if (payload != null) {
            b.append(", payload=").append(payload);
        }
        b.append(", routed=").append(routed);
        if (type == EventType.CALL_OFFERED && routed) {
            appendDecision(b.append(", decision="), decision);
        }
        return b.append('}').toString();
    }

    /** Formats a decision through the contract's accessors only. */
    static StringBuilder appendDecision(StringBuilder b, RoutingDecision d) {
        RoutingDecision.Kind kind = d.kind();
        if (kind == null) {
            return b.append("none");
        }
        return switch (kind) {
            case ANSWER -> b.append("ANSWER port ").append(d.portIndex());
            case REDIRECT -> b.append("REDIRECT to ").append(d.redirectTo());
            case REFUSE -> b.append("REFUSE ").append(d.cause());
        };
    }
}
