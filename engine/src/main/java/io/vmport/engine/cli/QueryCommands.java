package io.vmport.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The query commands of DESIGN.md section 4: {@code cluster}, {@code ports}, {@code alarms}, {@code calls},
 * {@code mailboxes}, {@code messages EXT}.
 */
final class QueryCommands {
    private QueryCommands() {
    }

    @Command(name = "cluster", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Both servers: status, epoch, taking calls, calls in progress, ports,"
            + " peer connection, last heartbeat, and the settings (PM-2).")
    static final class ClusterCommand extends QueryCommand {
        @Override
        String path() {
            return "/api/cluster";
        }

        @Override
        void printTable(JsonNode body) {
            Tables.cluster(body, out());
        }
    }

    @Command(name = "ports", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The port monitor: every port with its state and call (PM-1).")
    static final class PortsCommand extends QueryCommand {
        @Option(names = "--server", paramLabel = "NAME", description = "only this server's ports: publisher or"
                + " subscriber")
        String server;

        @Override
        String path() {
            return server == null ? "/api/ports"
                    : "/api/ports?server=" + URLEncoder.encode(server, StandardCharsets.UTF_8);
        }

        @Override
        void printTable(JsonNode body) {
            Tables.ports(body, out());
        }
    }

    @Command(name = "alarms", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The newest alarms (AL-1).")
    static final class AlarmsCommand extends QueryCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "at most N alarms, 1..1000 (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        String path() {
            return "/api/alarms?limit=" + limit;
        }

        @Override
        void printTable(JsonNode body) {
            Tables.alarms(body, out());
        }
    }

    @Command(name = "calls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The newest call records (CA-6).")
    static final class CallsCommand extends QueryCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                description = "at most N records, 1..1000 (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        String path() {
            return "/api/calls?limit=" + limit;
        }

        @Override
        void printTable(JsonNode body) {
            Tables.calls(body, out());
        }
    }

    @Command(name = "mailboxes", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Every mailbox: extension, name, own greeting or not (MS-3).")
    static final class MailboxesCommand extends QueryCommand {
        @Override
        String path() {
            return "/api/mailboxes";
        }

        @Override
        void printTable(JsonNode body) {
            Tables.mailboxes(body, out());
        }
    }

    @Command(name = "messages", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "A mailbox's messages, newest first (MS-1).")
    static final class MessagesCommand extends QueryCommand {
        @Parameters(index = "0", paramLabel = "EXT", description = "the mailbox's extension")
        String extension;

        @Override
        String path() {
            return "/api/mailboxes/" + URLEncoder.encode(extension, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/messages";
        }

        @Override
        void printTable(JsonNode body) {
            Tables.messages(body, out());
        }
    }
}
