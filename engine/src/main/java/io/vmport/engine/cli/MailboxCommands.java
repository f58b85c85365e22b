package io.vmport.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that change mailboxes and messages (DESIGN.md section 4, SPEC MS-3): {@code mailbox add},
 * {@code mailbox delete}, {@code greeting}, {@code message play}, {@code message heard}, {@code message delete}.
 * Exit status as every admin command: 0 done; 1 refused by the cluster (a mailbox that exists, one with messages
 * deleted without {@code --force}); 2 bad usage (an unknown mailbox or message, a refused WAV file) or unreachable.
 */
final class MailboxCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MailboxCommands() {
    }

    /** A command that only groups subcommands: run alone, it is bad usage. */
    abstract static class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: "
                    + String.join(", ", spec.subcommands().keySet()));
        }
    }

    @Command(name = "mailbox", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Create or delete a mailbox (MS-3).", subcommands = {AddCommand.class, DeleteCommand.class})
    static final class MailboxCommand extends Group {
    }

    @Command(name = "message", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Download, mark heard or delete a message (MS-3).",
            subcommands = {PlayCommand.class, HeardCommand.class, DeleteMessageCommand.class})
    static final class MessageCommand extends Group {
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Create a mailbox; refused (exit 1) when it exists.")
    static final class AddCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "EXT", description = "its extension: 1 to 15 digits")
        String extension;

        @Option(names = "--name", paramLabel = "NAME", description = "its name (default: Mailbox EXT)")
        String name;

        @Override
        int run(AdminClient client) throws AdminClient.Unreachable {
            ObjectNode body = JSON.createObjectNode().put("extension", extension);
            if (name != null) {
                body.put("name", name);
            }
            AdminClient.Answer a = client.post("/api/mailboxes", body.toString());
            if (a.status() != 201) {
                return failed(client, a);
            }
            JsonNode m = parse(a);
            return done(a, "mailbox " + m.path("extension").asText() + " created: " + m.path("name").asText());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Delete a mailbox. Refused (exit 1) while it has messages, saying how many,"
            + " unless --force, which deletes them too.")
    static final class DeleteCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "EXT", description = "the mailbox's extension")
        String extension;

        @Option(names = "--force", description = "delete its messages too")
        boolean force;

        @Override
        int run(AdminClient client) throws AdminClient.Unreachable {
            AdminClient.Answer a = client.delete("/api/mailboxes/" + segment(extension) + (force ? "?force=true" : ""));
            if (a.status() == 409 && parse(a).has("messages")) {
                int messages = parse(a).path("messages").asInt();
                err().println("vmport: refused: mailbox " + extension + " has " + messages + " message"
                        + (messages == 1 ? "" : "s") + " that deleting it would delete; give --force to delete"
                        + (messages == 1 ? " it" : " them") + " too");
                err().flush();
                if (json) {
                    out().println(a.body());
                    out().flush();
                }
                return ExitCodes.REFUSED;
            }
            if (a.status() != 200) {
                return failed(client, a);
            }
            int deleted = parse(a).path("messagesDeleted").asInt();
            return done(a, "mailbox " + extension + " deleted" + (deleted == 0 ? ""
                    : " with its " + deleted + " message" + (deleted == 1 ? "" : "s")));
        }
    }

    @Command(name = "greeting", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Upload a mailbox's greeting: an 8 kHz mono WAV file (16-bit PCM, mu-law or A-law) of at"
            + " most 120 s; or, with --delete, go back to the system greeting.")
    static final class GreetingCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "EXT", description = "the mailbox's extension")
        String extension;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE.wav", description = "the greeting")
        Path file;

        @Option(names = "--delete", description = "remove the mailbox's own greeting")
        boolean delete;

        @Override
        int run(AdminClient client) throws AdminClient.Unreachable {
            if (delete == (file != null)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give either FILE.wav or --delete, " + (delete ? "not both" : "one of them"));
            }
            String path = "/api/mailboxes/" + segment(extension) + "/greeting";
            if (delete) {
                AdminClient.Answer a = client.delete(path);
                return a.status() == 200 ? done(a, "mailbox " + extension + " has the system greeting again")
                        : failed(client, a);
            }
            byte[] wav;
            try {
                wav = Files.readAllBytes(file);
            } catch (IOException e) {
                err().println("vmport: cannot read " + file + ": " + e);
                err().flush();
                return ExitCodes.USAGE;
            }
            AdminClient.Answer a = client.put(path, "audio/wav", wav);
            return a.status() == 200 ? done(a, "mailbox " + extension + " greets with " + file) : failed(client, a);
        }
    }

    @Command(name = "play", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Download a message's audio as an 8 kHz WAV file.")
    static final class PlayCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the message's id")
        String id;

        @Option(names = "--out", required = true, paramLabel = "FILE.wav", description = "where to write it")
        Path out;

        @Override
        int run(AdminClient client) throws AdminClient.Unreachable {
            HttpResponse<byte[]> r = client.getBytes("/api/messages/" + segment(id) + "/audio");
            if (r.statusCode() != 200) {
                return failed(client, new AdminClient.Answer(r.statusCode(),
                        new String(r.body(), StandardCharsets.UTF_8)));
            }
            try {
                Files.write(out, r.body());
            } catch (IOException e) {
                err().println("vmport: cannot write " + out + ": " + e);
                err().flush();
                return ExitCodes.USAGE;
            }
            out().println("message " + id + ": " + r.body().length + " bytes written to " + out);
            out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "heard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Mark a message heard.")
    static final class HeardCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the message's id")
        String id;

        @Override
        int run(AdminClient client) throws AdminClient.Unreachable {
            AdminClient.Answer a = client.post("/api/messages/" + segment(id) + "/heard");
            return a.status() == 200 ? done(a, "message " + id + " of mailbox "
                    + parse(a).path("message").path("mailbox").asText() + " marked heard") : failed(client, a);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Delete a message.")
    static final class DeleteMessageCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the message's id")
        String id;

        @Override
        int run(AdminClient client) throws AdminClient.Unreachable {
            AdminClient.Answer a = client.delete("/api/messages/" + segment(id));
            return a.status() == 200 ? done(a, "message " + id + " deleted from mailbox "
                    + parse(a).path("mailbox").asText()) : failed(client, a);
        }
    }
}
