package io.vmport.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** The readable tables of the admin API's answers. */
final class Tables {
    private Tables() {
    }

    static void cluster(JsonNode body, PrintWriter out) {
        Table t = new Table("SERVER", "ROLE", "STATUS", "EPOCH", "TAKING CALLS", "CALLS", "PORTS IDLE/TOTAL",
                "PEER", "LAST HEARTBEAT");
        for (JsonNode s : body.path("servers")) {
            t.row(s.path("name").asText() + (s.path("self").asBoolean() ? " *" : ""), s.path("role").asText(),
                    s.path("status").asText(), s.path("epoch").asLong(),
                    s.path("takingCalls").asBoolean() ? "yes" : (s.path("draining").asBoolean() ? "no (draining)"
                            : "no"), s.path("callsInProgress").asInt(),
                    s.path("portsIdle").asInt() + "/" + s.path("portsTotal").asInt(),
                    s.path("peerConnected").asBoolean() ? "connected" : "not connected", text(s, "lastHeartbeat"));
        }
        t.print(out);
        JsonNode settings = body.path("settings");
        if (settings.isObject()) {
            StringBuilder b = new StringBuilder("settings:");
            settings.fields().forEachRemaining(e -> b.append(' ').append(e.getKey()).append('=')
                    .append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            out.println(b);
        }
        out.println("(* this node)");
        out.flush();
    }

    static void ports(JsonNode body, PrintWriter out) {
        Table t = new Table("PORT", "SERVER", "STATE", "CALL ID", "CALLER", "CALLED", "REASON", "REDIRECTING",
                "CONNECTED TO", "CONVERSATION", "MAILBOX", "SINCE");
        for (JsonNode p : body.path("ports")) {
            t.row(text(p, "name"), text(p, "server"), text(p, "state"), text(p, "callId"), text(p, "caller"),
                    text(p, "called"), text(p, "reason"), text(p, "redirecting"), text(p, "connectedTo"),
                    text(p, "conversation"), text(p, "mailbox"), text(p, "since"));
        }
        t.print(out);
    }

    static void alarms(JsonNode body, PrintWriter out) {
        Table t = new Table("TIME", "SERVER", "ALARM", "DETAIL");
        for (JsonNode a : body.path("alarms")) {
            t.row(text(a, "time"), text(a, "server"), text(a, "name"), text(a, "detail"));
        }
        t.print(out);
        if (t.size() == 0) {
            out.println("(no alarm)");
            out.flush();
        }
    }

    static void calls(JsonNode body, PrintWriter out) {
        Table t = new Table("CALL ID", "SERVER", "PORT", "OUTCOME", "CAUSE", "CALLER", "CALLED", "REDIRECTING",
                "OFFERED", "ENDED");
        for (JsonNode c : body.path("calls")) {
            t.row(text(c, "callId"), text(c, "server"), text(c, "port"), text(c, "outcome"), text(c, "cause"),
                    text(c, "caller"), text(c, "called"), text(c, "redirecting"), text(c, "offered"),
                    text(c, "ended"));
        }
        t.print(out);
        if (t.size() == 0) {
            out.println("(no call record)");
            out.flush();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
