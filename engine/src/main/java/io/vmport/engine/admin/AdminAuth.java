package io.vmport.engine.admin;

/**
 * Who may use the admin API (SPEC PM-4, issue 15): a request carrying the bearer token, or the web console's
 * session cookie. A change (any method but GET and HEAD) made with the cookie alone must also carry
 * {@code X-Vmport-Console: 1}, which a page of another site cannot add without the browser asking this server
 * first (CORS), and this server never says yes: so a forged form or link cannot act with an administrator's session.
 */
final class AdminAuth {
    private final BearerAuth bearer;
    private final ConsoleSessions sessions;

    AdminAuth(BearerAuth bearer, ConsoleSessions sessions) {
        this.bearer = bearer;
        this.sessions = sessions;
    }

    BearerAuth bearer() {
        return bearer;
    }

    ConsoleSessions sessions() {
        return sessions;
    }

    /** Null when {@code method} may go ahead with {@code c}; else the refusal (401, or 403 for a missing guard). */
    AdminResponse refusal(String method, Credentials c) {
        if (bearer.accepts(c.authorization())) {
            return null;
        }
        String session = ConsoleSessions.idFrom(c.cookie());
        if (sessions.valid(session)) {
            if (method.equals("GET") || method.equals("HEAD") || "1".equals(c.consoleHeader())) {
                return null;
            }
            return AdminResponse.error(403, method + " with the console's session cookie must carry the header "
                    + Credentials.CONSOLE_HEADER + ": 1");
        }
        String reason;
        if (c.authorization() != null) {
            reason = "the bearer token was refused";
        } else if (session != null) {
            reason = "the console session has ended (signed out, a day old, or signed with another token); sign in"
                    + " again";
        } else {
            reason = "this request needs the header Authorization: Bearer <token>, or the console's session cookie"
                    + " (POST /api/session)";
        }
        return AdminResponse.error(401, reason).withHeader("WWW-Authenticate", BearerAuth.CHALLENGE);
    }
}
