package io.vmport.engine.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vmport.config.ServerName;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's routes (DESIGN.md section 4), free of Netty's channel: a method, a URI and an Authorization
 * header in, an {@link AdminResponse} future out.
 *
 * <pre>
 * GET  /health                                       no token
 * GET  /api/cluster                                  PM-2
 * GET  /api/ports[?server=NAME]                      PM-1
 * GET  /api/alarms[?limit=N]                         AL-1
 * GET  /api/calls[?limit=N]                          CA-6, N in 1..1000
 * POST /api/servers/NAME/ACTION[?force=true]         PM-3: 200 done, 409 refused, 503 no answer in time
 * GET  /api/servers/NAME/ACTION/preview[?force=true] what it would do to calls in progress
 * GET  /metrics                                      Prometheus text
 * GET  /api/mailboxes                                MS-3
 * GET  /api/mailboxes/EXT/messages                   MS-1, newest first; 404 for an unknown mailbox
 * GET  /api/messages/ID/audio                        audio/wav, 8 kHz; 404 for an unknown message
 * POST, DELETE and PUT on mailboxes, greetings and messages: see {@link MailboxRoutes}
 * GET  /, /console/NAME                              the web console's files, no token ({@link ConsoleFiles})
 * POST, GET, DELETE /api/session                     the console's sign-in ({@link SessionRoutes})
 * GET  /api/events                                   the console's event stream ({@link ConsoleEvents}; answered
 *                                                    by the channel handler, since it never ends)
 * </pre>
 *
 * Every {@code /api} request is let in by {@link AdminAuth}: the bearer token, or the console's session cookie.
 *
 * Queries answer at once from the published view and snapshot (PM-1); alarms and calls may read the database, so
 * they run on {@code blocking}. Unknown query parameters are refused (400), so that a typo such as
 * {@code ?forse=true} never turns into a deactivation without force.
 */
final class AdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    static final int MAX_LIMIT = 1000;
    private static final int DEFAULT_ALARMS = 100;
    private static final int DEFAULT_CALLS = 50;

    private final AdminBackend backend;
    private final JsonViews views;
    private final AdminAuth auth;
    private final SessionRoutes sessionRoutes;
    private final ConsoleFiles consoleFiles;
    private final VmportMetrics metrics;
    private final Executor blocking;
    private final Executor actions;
    private final long actionTimeoutMs;
    private final MailboxRoutes mailboxRoutes;

    /**
     * @param blocking        runs queries that may read the database (alarms, calls)
     * @param actions         publishes actions into the pipeline: publishing waits while the ring is full, and
     *                        that wait must not hold the event loop that answers queries (PM-1)
     * @param actionTimeoutMs how long an action may take before the answer is 503
     */
    AdminRoutes(AdminBackend backend, AdminAuth auth, VmportMetrics metrics, Executor blocking, Executor actions,
                long actionTimeoutMs) {
        this.backend = backend;
        this.views = new JsonViews(backend);
        this.auth = auth;
        this.sessionRoutes = new SessionRoutes(auth);
        this.consoleFiles = new ConsoleFiles(ConsoleFiles.PREFIX);
        this.metrics = metrics;
        this.blocking = blocking;
        this.actions = actions;
        this.actionTimeoutMs = actionTimeoutMs;
        this.mailboxRoutes = new MailboxRoutes(backend, blocking);
    }

    /** Answers one request without a body; never throws (a failure becomes a 500 with its message). */
    CompletableFuture<AdminResponse> handle(String method, String uri, String authorization) {
        return handle(method, uri, authorization, new byte[0]);
    }

    /** Answers one request with its body (empty when it has none); never throws. */
    CompletableFuture<AdminResponse> handle(String method, String uri, String authorization, byte[] body) {
        return handle(method, uri, Credentials.bearer(authorization), body);
    }

    /** Answers one request that offers {@code credentials}; never throws. */
    CompletableFuture<AdminResponse> handle(String method, String uri, Credentials credentials, byte[] body) {
        try {
            return route(method, uri, credentials, body);
        } catch (BadRequest e) {
            return done(AdminResponse.error(400, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("admin request {} {} failed", method, uri, e);
            return done(AdminResponse.error(500, "internal error: " + e));
        }
    }

    private CompletableFuture<AdminResponse> route(String method, String uri, Credentials credentials,
                                                   byte[] requestBody) {
        QueryStringDecoder q;
        try {
            q = new QueryStringDecoder(uri);
            q.parameters();
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed request URI " + uri + ": " + e.getMessage());
        }
        String path = q.path();
        Map<String, List<String>> params = q.parameters();
        if (path.equals("/health")) {
            return get(method, () -> {
                only(params);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", "UP");
                var view = backend.clusterView();
                if (view != null) {
                    body.put("server", view.self().configName());
                    body.put("serverStatus", view.status(view.self()).name());
                }
                return AdminResponse.json(200, body);
            });
        }
        if (ConsoleFiles.serves(path)) {
            only(params);
            return done(consoleFiles.answer(method, path));
        }
        if (path.equals(SessionRoutes.PATH)) {
            only(params);
            return done(sessionRoutes.answer(method, credentials, requestBody));
        }
        AdminResponse refusal = auth.refusal(method, credentials);
        if (refusal != null) {
            return done(refusal);
        }
        CompletableFuture<AdminResponse> change = mailboxRoutes.route(method, path, params, requestBody);
        if (change != null) {
            return change;
        }
        switch (path) {
            case "/api/cluster":
                return get(method, () -> {
                    only(params);
                    return AdminResponse.json(200, views.cluster());
                });
            case "/api/ports":
                return get(method, () -> {
                    only(params, "server");
                    String s = single(params, "server");
                    return AdminResponse.jsonBytes(200, views.portsJson(s == null ? null : serverParam(s)));
                });
            case "/api/alarms":
                return getBlocking(method, () -> {
                    only(params, "limit");
                    return AdminResponse.json(200, views.alarms(limit(params, DEFAULT_ALARMS)));
                }, params);
            case "/api/calls":
                return getBlocking(method, () -> {
                    only(params, "limit");
                    return AdminResponse.json(200, views.calls(limit(params, DEFAULT_CALLS)));
                }, params);
            case "/api/mailboxes":
                return getStored(method, params, () -> AdminResponse.json(200, views.mailboxes()));
            case "/metrics":
                return get(method, () -> {
                    only(params);
                    return AdminResponse.text(200, AdminResponse.PROMETHEUS, metrics.scrape());
                });
            default:
                if (path.startsWith("/api/servers/")) {
                    return server(method, path.substring("/api/servers/".length()), params);
                }
                if (path.startsWith("/api/mailboxes/") && path.endsWith("/messages")) {
                    String extension = path.substring("/api/mailboxes/".length(), path.length() - "/messages".length());
                    return getStored(method, params, () -> backend.messageQueries().messages(extension)
                            .map(rows -> AdminResponse.jsonBytes(200, JsonViews.messagesJson(rows)))
                            .orElseGet(() -> AdminResponse.error(404, "no such mailbox: " + extension)));
                }
                if (path.startsWith("/api/messages/") && path.endsWith("/audio")) {
                    String id = path.substring("/api/messages/".length(), path.length() - "/audio".length());
                    return getStored(method, params, () -> backend.messageQueries().audio(id)
                            .map(wav -> new AdminResponse(200, AdminResponse.WAV, wav, Map.of()))
                            .orElseGet(() -> AdminResponse.error(404, "no such message: " + id)));
                }
                return done(AdminResponse.error(404, "no such path: " + path));
        }
    }

    /** {@code NAME/ACTION} (POST) or {@code NAME/ACTION/preview} (GET). */
    private CompletableFuture<AdminResponse> server(String method, String rest, Map<String, List<String>> params) {
        String[] parts = rest.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("preview"))) {
            return done(AdminResponse.error(404, "no such path: /api/servers/" + rest
                    + "; try /api/servers/NAME/ACTION with ACTION one of " + actionNames()));
        }
        ServerName server = serverOrNull(parts[0]);
        if (server == null) {
            return done(AdminResponse.error(404, "no such server: " + parts[0] + "; the servers are publisher and"
                    + " subscriber"));
        }
        AdminAction action = AdminAction.fromPathName(parts[1]);
        if (action == null) {
            return done(AdminResponse.error(404, "no such action: " + parts[1] + "; the actions are "
                    + actionNames()));
        }
        if (parts.length == 3) {
            return get(method, () -> {
                only(params, "force");
                return AdminResponse.json(200, JsonViews.preview(backend.preview(action, server, force(params))));
            });
        }
        if (!method.equals("POST")) {
            return done(notAllowed(method, "POST"));
        }
        only(params, "force");
        boolean force = force(params);
        CompletableFuture<ActionResult> result = CompletableFuture
                .supplyAsync(() -> backend.perform(action, server, force), actions)
                .thenCompose(f -> f);
        String name = action.pathName();
        // The future completes on the pipeline's reply thread: build the answer elsewhere, never there.
        return result.orTimeout(actionTimeoutMs, TimeUnit.MILLISECONDS).handleAsync((r, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                    return AdminResponse.error(503, name + " " + server.configName() + ": the pipeline did not answer"
                            + " within " + actionTimeoutMs + " ms; the action may still take effect, check"
                            + " GET /api/cluster");
                }
                LOG.warn("{} {} failed", name, server.configName(), cause);
                return AdminResponse.error(503, name + " " + server.configName() + " failed: " + cause.getMessage());
            }
            return r.ok() ? AdminResponse.json(200, views.done(name, r))
                    : AdminResponse.json(409, JsonViews.refused(name, r));
        }, actions);
    }

    private static String actionNames() {
        StringBuilder b = new StringBuilder();
        for (AdminAction a : AdminAction.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(a.pathName());
        }
        return b.toString();
    }

    private CompletableFuture<AdminResponse> get(String method, java.util.function.Supplier<AdminResponse> answer) {
        if (!method.equals("GET")) {
            return done(notAllowed(method, "GET"));
        }
        return done(answer.get());
    }

    private CompletableFuture<AdminResponse> getBlocking(String method,
                                                         java.util.function.Supplier<AdminResponse> answer,
                                                         Map<String, List<String>> params) {
        if (!method.equals("GET")) {
            return done(notAllowed(method, "GET"));
        }
        only(params, "limit");
        limit(params, 1); // refuse a bad limit before the hop to the blocking executor
        return onBlocking(answer);
    }

    /** A GET without parameters answered from the store (mailboxes, messages: MS-3), off the event loop. */
    private CompletableFuture<AdminResponse> getStored(String method, Map<String, List<String>> params,
                                                       java.util.function.Supplier<AdminResponse> answer) {
        if (!method.equals("GET")) {
            return done(notAllowed(method, "GET"));
        }
        only(params);
        return onBlocking(answer);
    }

    private CompletableFuture<AdminResponse> onBlocking(java.util.function.Supplier<AdminResponse> answer) {
        return onBlocking(blocking, answer);
    }

    /** Answers on {@code blocking} (it may wait for the database); a failure there is a 503 with its reason. */
    static CompletableFuture<AdminResponse> onBlocking(Executor blocking,
                                                       java.util.function.Supplier<AdminResponse> answer) {
        return CompletableFuture.supplyAsync(answer, blocking).exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            LOG.warn("admin query failed", cause);
            return AdminResponse.error(503, "the store did not answer: " + cause.getMessage());
        });
    }

    static AdminResponse notAllowed(String method, String allow) {
        return AdminResponse.error(405, "method " + method + " is not allowed here; use " + allow)
                .withHeader("Allow", allow);
    }

    static CompletableFuture<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    static void only(Map<String, List<String>> params, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String name : params.keySet()) {
            if (!ok.contains(name)) {
                throw new BadRequest("unknown query parameter " + name + (allowed.length == 0
                        ? "; this request takes none" : "; allowed: " + String.join(", ", allowed)));
            }
        }
    }

    static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw new BadRequest("query parameter " + name + " must be given once, was given " + values.size()
                    + " times");
        }
        return values.get(0);
    }

    private static int limit(Map<String, List<String>> params, int dflt) {
        String s = single(params, "limit");
        if (s == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new BadRequest("limit must be an integer from 1 to " + MAX_LIMIT + ", was " + s);
    }

    static boolean force(Map<String, List<String>> params) {
        String s = single(params, "force");
        if (s == null || s.equals("false")) {
            return false;
        }
        if (s.equals("true") || s.isEmpty()) {
            return true;
        }
        throw new BadRequest("force must be true or false, was " + s);
    }

    private static ServerName serverParam(String s) {
        ServerName server = serverOrNull(s);
        if (server == null) {
            throw new BadRequest("server must be publisher or subscriber, was " + s);
        }
        return server;
    }

    private static ServerName serverOrNull(String s) {
        for (ServerName n : ServerName.values()) {
            if (n.configName().equals(s)) {
                return n;
            }
        }
        return null;
    }

    /** A malformed request: answered 400 with the message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
