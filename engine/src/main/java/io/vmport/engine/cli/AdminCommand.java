package io.vmport.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every admin client command shares (DESIGN.md section 4): {@code --url}, {@code --token} (default: the
 * environment variable {@code VMPORT_TOKEN}), {@code --json}, and the exit statuses: 0 done, 1 refused by the
 * cluster (409, the reason printed), 2 bad usage, unreachable node or refused token.
 */
abstract class AdminCommand implements Callable<Integer> {
    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = DEFAULT_URL, paramLabel = "URL",
            description = "the node's admin API (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", defaultValue = "${env:VMPORT_TOKEN}", paramLabel = "TOKEN",
            description = "the admin bearer token (default: the environment variable VMPORT_TOKEN)")
    String token;

    @Option(names = "--json", description = "print the node's JSON answer instead of a table")
    boolean json;

    @Override
    public final Integer call() {
        try {
            return run(new AdminClient(url, token));
        } catch (AdminClient.Unreachable e) {
            err().println("vmport: " + e.getMessage());
            err().flush();
            return ExitCodes.USAGE;
        } catch (IllegalStateException e) {
            err().println("vmport: " + e.getMessage());
            err().flush();
            return ExitCodes.USAGE;
        }
    }

    /** Does the command's work; returns its exit status. */
    abstract int run(AdminClient client) throws AdminClient.Unreachable;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The body as JSON; a node that answers something else is a failure to report. */
    static JsonNode parse(AdminClient.Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the node answered HTTP " + answer.status() + " with a body that is not"
                    + " JSON: " + abbreviate(answer.body()), e);
        }
    }

    /** {@code value} as one path segment of a URL (percent-encoded, a space as %20). */
    static String segment(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Prints {@code summary} (or, with {@code --json}, the node's answer) and returns 0. */
    int done(AdminClient.Answer a, String summary) {
        out().println(json ? a.body() : summary);
        out().flush();
        return ExitCodes.OK;
    }

    /** Prints why a request failed and returns the exit status for it. */
    int failed(AdminClient client, AdminClient.Answer a) {
        String reason = reasonOf(a);
        PrintWriter err = err();
        int code;
        switch (a.status()) {
            case 401 -> {
                err.println("vmport: the node at " + client.baseUrl() + " refused "
                        + (client.hasToken() ? "the token" : "the request: no token was given")
                        + " (HTTP 401: " + reason + "); give --token or set VMPORT_TOKEN");
                code = ExitCodes.USAGE;
            }
            case 409 -> {
                err.println("vmport: refused by the cluster: " + reason);
                code = ExitCodes.REFUSED;
            }
            case 400, 404, 405 -> {
                err.println("vmport: " + reason + " (HTTP " + a.status() + ")");
                code = ExitCodes.USAGE;
            }
            default -> {
                err.println("vmport: the node at " + client.baseUrl() + " answered HTTP " + a.status() + ": "
                        + reason);
                code = ExitCodes.USAGE;
            }
        }
        if (json && a.body() != null && !a.body().isEmpty()) {
            out().println(a.body());
            out().flush();
        }
        err.flush();
        return code;
    }

    private static String reasonOf(AdminClient.Answer a) {
        try {
            JsonNode error = JSON.readTree(a.body()).get("error");
            if (error != null && error.isTextual()) {
                return error.asText();
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            // fall through: show the body as it is
        }
        return abbreviate(a.body());
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
