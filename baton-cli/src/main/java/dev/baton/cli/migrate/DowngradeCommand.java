package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "downgrade", mixinStandardHelpOptions = true,
        description = {"Revert applied revisions, newest first, each in its own transaction.",
                "A revision with no down migration stops the downgrade before anything runs."})
final class DowngradeCommand extends MigrateSubcommand {
    @Parameters(index = "0", paramLabel = "TARGET",
            description = "a revision id to go back to (it stays applied), -N (revert N), or base (revert all)")
    String target;

    DowngradeCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        return cancellable("downgrade", engine -> engine.downgrade(target));
    }
}
