package io.vmport.engine.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmport.config.ClusterSettings;
import io.vmport.config.ServerName;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.Cluster;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.pipeline.PortSnapshot;
import io.vmport.engine.ports.PortOwner;
import io.vmport.engine.ports.PortPlan;
import io.vmport.engine.ports.PortState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON bodies of the admin API (DESIGN.md section 4: the field names are a contract). Builds ordered maps from
 * the published view and snapshot; times are ISO-8601 UTC or null.
 */
final class JsonViews {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** About the bytes of one message in a listing (182 with a 36-character id and an E.164 caller). */
    private static final int MESSAGE_JSON_BYTES = 192;

    private final AdminBackend backend;
    /**
     * The last {@code /api/ports} answer per filter (all, publisher, subscriber) with the snapshot it was written
     * from. A snapshot is immutable and is replaced at most every monitor interval, so a port monitor polled many
     * times a second (PM-1) writes its JSON once per snapshot, not once per query.
     */
    private final AtomicReferenceArray<PortsAnswer> portsAnswers = new AtomicReferenceArray<>(3);

    private record PortsAnswer(MonitorSnapshot snapshot, byte[] json) {
    }

    JsonViews(AdminBackend backend) {
        this.backend = backend;
    }

    static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> error(String reason) {
        return Map.of("error", reason);
    }

    /** {@code {"servers":[...],"settings":{...}}} (PM-2). */
    Map<String, Object> cluster() {
        return cluster(backend.clusterView(), backend.monitorSnapshot());
    }

    /** {@link #cluster()} of a given view and snapshot (the console's event stream compares consecutive ones). */
    Map<String, Object> cluster(ClusterView view, MonitorSnapshot snapshot) {
        PortPlan plan = backend.portPlan();
        List<Object> servers = new ArrayList<>(2);
        for (ServerName name : ServerName.values()) {
            ClusterView.Server s = view.server(name);
            PortCounts ports = PortCounts.of(plan, snapshot, name);
            int calls = view.callsInProgress(name, snapshot);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name.configName());
            m.put("role", name.configName());
            m.put("status", s.status().name());
            m.put("epoch", s.epoch());
            m.put("takingCalls", s.takingCalls());
            m.put("draining", !s.takingCalls() && calls > 0);
            m.put("callsInProgress", calls);
            m.put("portsTotal", ports.total());
            m.put("portsIdle", ports.idle());
            m.put("portsBusy", ports.busy());
            m.put("portsOutOfService", ports.outOfService());
            m.put("peerConnected", view.peerConnected());
            m.put("lastHeartbeat", view.lastHeartbeatNs() == Cluster.NEVER ? null
                    : iso(backend.epochMs(view.lastHeartbeatNs())));
            m.put("self", name == view.self());
            servers.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("self", view.self().configName());
        body.put("primary", view.primary() == null ? null : view.primary().configName());
        body.put("epoch", view.epoch());
        body.put("integration", plan.integration().configName());
        body.put("servers", servers);
        body.put("settings", settings(view.settings()));
        body.put("asOf", iso(backend.epochMs(view.asOfNs())));
        return body;
    }

    /**
     * The ports a server may answer on (its own and shared ones) by their live state (PT-2): idle, busy (ringing,
     * in a call or draining) and out of service (a DEACTIVATED server's ports are that, not busy).
     */
    record PortCounts(int idle, int busy, int outOfService, int total) {
        static PortCounts of(PortPlan plan, MonitorSnapshot snapshot, ServerName server) {
            int idle = 0;
            int outOfService = 0;
            int total = 0;
            for (PortOwner owner : new PortOwner[] {PortOwner.of(server), PortOwner.SHARED}) {
                int first = plan.firstIndex(owner);
                int n = plan.count(owner);
                for (int i = first; i < first + n; i++) {
                    PortState state = snapshot.state(i);
                    if (state == PortState.IDLE) {
                        idle++;
                    } else if (state == PortState.OUT_OF_SERVICE) {
                        outOfService++;
                    }
                }
                total += n;
            }
            return new PortCounts(idle, total - idle - outOfService, outOfService, total);
        }
    }

    private static Map<String, Object> settings(ClusterSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("autoFailover", s.autoFailover());
        m.put("autoFailback", s.autoFailback());
        m.put("failbackHoldDownMs", s.failbackHoldDownMs());
        m.put("deactivateOnBacklog", s.deactivateOnBacklog());
        m.put("replicationBacklogLimit", s.replicationBacklogLimit());
        m.put("absorbPeerPortsOnFailover", s.absorbPeerPortsOnFailover());
        m.put("huntOrder", s.huntOrder().configName());
        m.put("heartbeatIntervalMs", s.heartbeatIntervalMs());
        m.put("localHeartbeatTimeoutMs", s.localHeartbeatTimeoutMs());
        m.put("remoteHeartbeatTimeoutMs", s.remoteHeartbeatTimeoutMs());
        m.put("heartbeatTrace", s.heartbeatTrace());
        m.put("networkCheck", s.networkCheck());
        m.put("maxMessageSeconds", s.maxMessageSeconds());
        m.put("silenceSeconds", s.silenceSeconds());
        m.put("minMessageSeconds", s.minMessageSeconds());
        m.put("mediaTimeoutSeconds", s.mediaTimeoutSeconds());
        m.put("mwiTarget", s.mwiTarget().map(Object::toString).orElse(null));
        m.put("mwiSendsPerSecond", s.mwiSendsPerSecond());
        return m;
    }

    /** {@link #ports} as JSON bytes, written once per monitor snapshot and filter (see {@link #portsAnswers}). */
    byte[] portsJson(ServerName server) {
        int slot = server == null ? 0 : 1 + server.ordinal();
        MonitorSnapshot snapshot = backend.monitorSnapshot();
        PortsAnswer cached = portsAnswers.get(slot);
        if (cached != null && cached.snapshot() == snapshot) {
            return cached.json();
        }
        byte[] json = bytes(ports(server, snapshot));
        portsAnswers.set(slot, new PortsAnswer(snapshot, json));
        return json;
    }

    /** {@code {"ports":[...]}} for one server (its own and shared ports) or, with null, all (PM-1). */
    Map<String, Object> ports(ServerName server, MonitorSnapshot snapshot) {
        PortPlan plan = backend.portPlan();
        List<Object> ports = new ArrayList<>();
        for (int i = 0; i < snapshot.portCount(); i++) {
            PortOwner owner = plan.owner(i);
            if (server != null && owner != PortOwner.SHARED && owner.server() != server) {
                continue;
            }
            PortSnapshot p = snapshot.port(i);
            if (server != null && owner == PortOwner.SHARED && p.server() != null && p.server() != server) {
                continue;
            }
            ports.add(port(plan, owner, p));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ports", ports);
        body.put("asOf", iso(backend.epochMs(snapshot.asOfNs())));
        return body;
    }

    /** One port object of {@code /api/ports} (PM-1), for the port at {@code portIndex} of {@code snapshot}. */
    Map<String, Object> port(MonitorSnapshot snapshot, int portIndex) {
        PortPlan plan = backend.portPlan();
        return port(plan, plan.owner(portIndex), snapshot.port(portIndex));
    }

    private Map<String, Object> port(PortPlan plan, PortOwner owner, PortSnapshot p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", plan.port(p.portIndex()).name());
        m.put("server", owner.configName());
        m.put("handledBy", p.server() == null ? null : p.server().configName());
        m.put("integration", plan.integration().configName());
        m.put("state", p.state().name());
        m.put("callId", p.callId());
        m.put("caller", p.caller());
        m.put("called", p.called());
        m.put("reason", reason(p.reason()));
        m.put("redirecting", p.redirecting());
        m.put("since", iso(backend.epochMs(p.sinceNs())));
        m.put("connectedTo", connectedTo(p));
        m.put("conversation", p.conversation());
        m.put("mailbox", p.mailbox());
        return m;
    }

    static String reason(CallReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case DIRECT -> "direct";
            case FORWARDED_BUSY -> "forwarded busy";
            case FORWARDED_NO_ANSWER -> "forwarded no answer";
            case FORWARDED_OTHER -> "forwarded";
        };
    }

    /** Who a port in a connected call talks to: the caller (the call id when the number is withheld). */
    private static String connectedTo(PortSnapshot p) {
        if (p.callId() == null || p.state() == PortState.RINGING) {
            return null;
        }
        return p.caller() != null ? p.caller() : p.callId();
    }

    /** {@code {"alarms":[{"time","server","name","detail"}...]}} (AL-1). */
    Map<String, Object> alarms(int limit) {
        List<Object> alarms = new ArrayList<>();
        for (AlarmRow a : backend.alarms(limit)) {
            alarms.add(alarm(a));
        }
        return Map.of("alarms", alarms);
    }

    /** {@code {"time","server","name","detail","id"}} (AL-1). */
    static Map<String, Object> alarm(AlarmRow a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", iso(a.raisedAtMs()));
        m.put("server", a.server().configName());
        m.put("name", a.name());
        m.put("detail", a.detail());
        m.put("id", a.id());
        return m;
    }

    /** {@code {"mailboxes":[{"extension","name","hasGreeting"}...]}} (MS-3). */
    Map<String, Object> mailboxes() {
        List<Object> mailboxes = new ArrayList<>();
        for (MailboxRow m : backend.messageQueries().mailboxes()) {
            mailboxes.add(mailbox(m));
        }
        return Map.of("mailboxes", mailboxes);
    }

    /** {@code {"extension","name","hasGreeting"}} (MS-3). */
    static Map<String, Object> mailbox(MailboxRow m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("extension", m.extension());
        j.put("name", m.name());
        j.put("hasGreeting", m.hasGreeting());
        return j;
    }

    /**
     * {@code {"messages":[{"id","mailbox","caller","server","port","receivedAt","durationMs","heard"}...]}} (MS-1),
     * written straight from the rows, without a map per message: a mailbox of 1,000 messages is 180 KB of JSON, and
     * its listing answers in under 20 ms p99 (issue 14).
     */
    static byte[] messagesJson(List<MessageRow> rows) {
        return write(MESSAGE_JSON_BYTES * rows.size() + 16, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("messages");
            for (MessageRow r : rows) {
                writeMessage(g, r, r.heard());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code {"message":{"id","mailbox",...}}}, heard as given (MS-1). */
    static byte[] messageJson(MessageRow r, boolean heard) {
        return write(MESSAGE_JSON_BYTES + 16, g -> {
            g.writeStartObject();
            g.writeFieldName("message");
            writeMessage(g, r, heard);
            g.writeEndObject();
        });
    }

    private static void writeMessage(JsonGenerator g, MessageRow r, boolean heard) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeStringField("mailbox", r.mailbox());
        g.writeStringField("caller", r.caller());
        g.writeStringField("server", r.server().configName());
        g.writeStringField("port", r.port());
        g.writeStringField("receivedAt", iso(r.receivedAtMs()));
        g.writeNumberField("durationMs", r.durationMs());
        g.writeBooleanField("heard", heard);
        g.writeEndObject();
    }

    /** Writes a body with Jackson's generator into a buffer of about {@code sizeHint} bytes. */
    private static byte[] write(int sizeHint, JsonBody body) {
        ByteArrayBuilder out = new ByteArrayBuilder(sizeHint);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** A JSON body written field by field. */
    private interface JsonBody {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /** {@code {"calls":[...]}}: the newest call records (CA-6). */
    Map<String, Object> calls(int limit) {
        List<Object> calls = new ArrayList<>();
        for (CallRecordRow c : backend.calls(limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("callId", c.callId());
            m.put("server", c.server().configName());
            m.put("port", c.port());
            m.put("integration", c.integration().configName());
            m.put("caller", c.caller());
            m.put("called", c.called());
            m.put("redirecting", c.redirecting());
            m.put("offered", iso(c.offeredAtMs()));
            m.put("answered", c.answeredAtMs() == null ? null : iso(c.answeredAtMs()));
            m.put("ended", c.endedAtMs() == null ? null : iso(c.endedAtMs()));
            m.put("outcome", c.outcome());
            m.put("cause", c.cause());
            calls.add(m);
        }
        return Map.of("calls", calls);
    }

    /** {@code {"result":{...},"cluster":{...}}}: what an action did and the view after it (PM-3). */
    Map<String, Object> done(String action, ActionResult r) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("action", action);
        result.put("server", r.server() == null ? null : r.server().configName());
        result.put("status", r.status() == null ? null : r.status().name());
        result.put("callsAffected", r.callsAffected());
        result.put("callsDropped", r.droppedCount());
        result.put("detail", r.reason());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", result);
        body.put("cluster", cluster());
        return body;
    }

    /** {@code {"error": reason, ...}}: a refused action (409), with the state that explains it. */
    static Map<String, Object> refused(String action, ActionResult r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", r.reason());
        body.put("action", action);
        body.put("server", r.server() == null ? null : r.server().configName());
        body.put("status", r.status() == null ? null : r.status().name());
        body.put("callsAffected", r.callsAffected());
        return body;
    }

    /** {@code {"preview":{...}}}: what an action would do to calls in progress (PM-3). */
    static Map<String, Object> preview(ActionPreview p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", p.action().pathName());
        m.put("server", p.server().configName());
        m.put("status", p.status().name());
        m.put("callsInProgress", p.callsInProgress());
        m.put("callsDropped", p.callsDropped());
        m.put("summary", p.summary());
        return Map.of("preview", m);
    }

    static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
