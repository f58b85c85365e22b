package io.vmport.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmport.engine.cluster.AdminAction;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Parameters;

/**
 * An administrative action (PM-3): first says what it will do to calls in progress (from the node's preview),
 * then performs it and reports the new status. With {@code --json} the action's JSON answer goes to standard
 * output and the preview line to standard error.
 */
abstract class ActionCommand extends AdminCommand {
    private final AdminAction action;

    @Parameters(index = "0", paramLabel = "NAME", description = "the server: publisher or subscriber")
    String server;

    ActionCommand(AdminAction action) {
        this.action = action;
    }

    /** Whether to ask with {@code force=true} (only deactivate has {@code --force}). */
    boolean force() {
        return false;
    }

    @Override
    final int run(AdminClient client) throws AdminClient.Unreachable {
        String base = "/api/servers/" + URLEncoder.encode(server, StandardCharsets.UTF_8) + "/" + action.pathName();
        String query = force() ? "?force=true" : "";
        AdminClient.Answer preview = client.get(base + "/preview" + query);
        if (preview.status() != 200) {
            return failed(client, preview);
        }
        PrintWriter say = json ? err() : out();
        say.println(parse(preview).path("preview").path("summary").asText());
        say.flush();

        AdminClient.Answer done = client.post(base + query);
        if (done.status() != 200) {
            return failed(client, done);
        }
        if (json) {
            out().println(done.body());
            out().flush();
            return ExitCodes.OK;
        }
        JsonNode body = parse(done);
        JsonNode result = body.path("result");
        PrintWriter out = out();
        out.println("done: " + result.path("detail").asText());
        out.println(server + " is now " + result.path("status").asText()
                + (result.path("callsDropped").asInt() > 0 ? "; " + result.path("callsDropped").asInt()
                + " calls dropped" : ""));
        Tables.cluster(body.path("cluster"), out);
        return ExitCodes.OK;
    }
}
