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

    static void mailboxes(JsonNode body, PrintWriter out) {
        Table t = new Table("EXTENSION", "NAME", "GREETING");
        for (JsonNode m : body.path("mailboxes")) {
            t.row(text(m, "extension"), text(m, "name"), m.path("hasGreeting").asBoolean() ? "own" : "system");
        }
        printOrSay(t, "(no mailbox)", out);
    }

    static void messages(JsonNode body, PrintWriter out) {
        Table t = new Table("ID", "RECEIVED", "CALLER", "DURATION S", "HEARD", "SERVER", "PORT");
        for (JsonNode m : body.path("messages")) {
            t.row(text(m, "id"), text(m, "receivedAt"), text(m, "caller"),
                    String.format(java.util.Locale.ROOT, "%.1f", m.path("durationMs").asLong() / 1000.0),
                    m.path("heard").asBoolean() ? "yes" : "no", text(m, "server"), text(m, "port"));
        }
        printOrSay(t, "(no message)", out);
    }

    /** Prints the table, or {@code none} when it has no row. */
    private static void printOrSay(Table t, String none, PrintWriter out) {
        t.print(out);
        if (t.size() == 0) {
            out.println(none);
            out.flush();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
