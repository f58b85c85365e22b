package io.vmport.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A query (PM-1, PM-2): one GET, printed as a table or, with {@code --json}, as the node sent it. */
abstract class QueryCommand extends AdminCommand {

    /** The path and query to GET. */
    abstract String path();

    /** Prints the answer as a readable table. */
    abstract void printTable(JsonNode body);

    @Override
    final int run(AdminClient client) throws AdminClient.Unreachable {
        AdminClient.Answer a = client.get(path());
        if (a.status() != 200) {
            return failed(client, a);
        }
        if (json) {
            out().println(a.body());
        } else {
            printTable(parse(a));
        }
        out().flush();
        return ExitCodes.OK;
    }
}
