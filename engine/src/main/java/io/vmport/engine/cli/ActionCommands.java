package io.vmport.engine.cli;

import io.vmport.engine.cluster.AdminAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The administrative actions of DESIGN.md section 4 and SPEC PM-3, one command each. */
final class ActionCommands {
    private ActionCommands() {
    }

    @Command(name = "make-primary", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Make a SECONDARY server PRIMARY; the other becomes SECONDARY."
            + " Calls in progress are not affected (ST-5).")
    static final class MakePrimaryCommand extends ActionCommand {
        MakePrimaryCommand() {
            super(AdminAction.MAKE_PRIMARY);
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Deactivate a SECONDARY server. Drops its calls in progress:"
            + " refused while it has any unless --force (ST-3, ST-4).")
    static final class DeactivateCommand extends ActionCommand {
        @Option(names = "--force", description = "deactivate even though calls in progress are dropped")
        boolean force;

        DeactivateCommand() {
            super(AdminAction.DEACTIVATE);
        }

        @Override
        boolean force() {
            return force;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Activate a DEACTIVATED server: SECONDARY, or PRIMARY when the other"
            + " is not functioning (ST-6).")
    static final class ActivateCommand extends ActionCommand {
        ActivateCommand() {
            super(AdminAction.ACTIVATE);
        }
    }

    @Command(name = "stop-taking-calls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The server's ports take no new call; calls in progress"
            + " finish (CA-4).")
    static final class StopTakingCallsCommand extends ActionCommand {
        StopTakingCallsCommand() {
            super(AdminAction.STOP_TAKING_CALLS);
        }
    }

    @Command(name = "take-calls", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "The server's ports take calls again.")
    static final class TakeCallsCommand extends ActionCommand {
        TakeCallsCommand() {
            super(AdminAction.TAKE_CALLS);
        }
    }
}
