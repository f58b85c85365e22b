package io.vmport.engine.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/**
 * The web console's sign-in (issue 15):
 *
 * <pre>
 * POST   /api/session  {"token": "..."}   204 with Set-Cookie: vmport_session=...; HttpOnly; SameSite=Strict;
 *                                        401 {"error"} for a wrong token; 400 for a body that is not that JSON
 * GET    /api/session                    200 {"signedIn": true}, or 401
 * DELETE /api/session                    204, the session ended and the cookie cleared
 * </pre>
 *
 * The token travels once, in the body of the sign-in; afterwards the browser holds only the session cookie, which
 * scripts cannot read.
 */
final class SessionRoutes {
    static final String PATH = "/api/session";

    private final AdminAuth auth;

    SessionRoutes(AdminAuth auth) {
        this.auth = auth;
    }

    /** The answer to {@code method} on {@link #PATH}. */
    AdminResponse answer(String method, Credentials c, byte[] body) {
        switch (method) {
            case "POST":
                return signIn(body);
            case "GET": {
                AdminResponse refusal = auth.refusal(method, c);
                return refusal != null ? refusal : AdminResponse.json(200, Map.of("signedIn", true));
            }
            case "DELETE": {
                AdminResponse refusal = auth.refusal(method, c);
                if (refusal != null) {
                    return refusal;
                }
                auth.sessions().end(ConsoleSessions.idFrom(c.cookie()));
                return noContent().withHeader("Set-Cookie", ConsoleSessions.clearCookie());
            }
            default:
                return AdminRoutes.notAllowed(method, "GET, POST, DELETE");
        }
    }

    private AdminResponse signIn(byte[] body) {
        JsonNode json;
        try {
            json = JsonViews.MAPPER.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        JsonNode token = json == null ? null : json.get("token");
        if (token == null || !token.isTextual() || json.size() != 1) {
            return AdminResponse.error(400, "sign in with the JSON body {\"token\": \"<the admin token>\"}");
        }
        if (!auth.bearer().acceptsToken(token.asText())) {
            return AdminResponse.error(401, "the token was refused");
        }
        return noContent().withHeader("Set-Cookie", ConsoleSessions.setCookie(auth.sessions().create()));
    }

    private static AdminResponse noContent() {
        return new AdminResponse(204, AdminResponse.JSON, new byte[0], Map.of());
    }
}
