package io.vmport.engine.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code vmport.jar}. Exit status: 0 done, 1 refused by the cluster, 2 bad usage or unreachable. */
@Command(name = "vmport", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Voice-messaging port and call distribution engine for a two-server cluster.",
        subcommands = {CommandLine.HelpCommand.class, NodeCommand.class, DemoCommand.class,
            QueryCommands.ClusterCommand.class, QueryCommands.PortsCommand.class, QueryCommands.AlarmsCommand.class,
            QueryCommands.CallsCommand.class, QueryCommands.MailboxesCommand.class, QueryCommands.MessagesCommand.class,
            ActionCommands.MakePrimaryCommand.class, ActionCommands.DeactivateCommand.class,
            ActionCommands.ActivateCommand.class, ActionCommands.StopTakingCallsCommand.class,
            ActionCommands.TakeCallsCommand.class})
public final class VmportMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** As {@link #execute(String...)}, printing to {@code out} and {@code err} (null: standard output, error). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new VmportMain());
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("vmport: " + ex.getMessage());
            c.getErr().println("usage: " + c.getHelp().synopsis(0).strip());
            c.getErr().println("try 'vmport --help'");
            return ExitCodes.USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
