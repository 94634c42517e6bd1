package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.migrate.Phase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = {"Apply pending revisions up to TARGET.",
                "Each revision runs in its own transaction together with its history row, so a",
                "failing revision leaves no trace; the ones before it stay applied."})
final class UpgradeCommand extends MigrateSubcommand {
    @Parameters(index = "0", defaultValue = "head", paramLabel = "TARGET",
            description = "head (default; the unique head), heads (every branch), a revision id or unique prefix, or +N")
    String target;

    @Option(names = "--single-transaction", description = "run the whole upgrade as one transaction: all or nothing")
    boolean singleTransaction;

    @Option(names = "--allow-changed", description = "proceed although applied revisions' files changed since they ran")
    boolean allowChanged;

    @Option(names = "--phase", paramLabel = "PHASE", defaultValue = "all",
            description = "expand (the revisions before the first contract revision: safe while the old version serves),"
                    + " contract (the rest: after the old version stopped), or all (default)")
    String phase;

    UpgradeCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        Phase p = Phase.parse(phase);
        return cancellable("upgrade", engine -> engine.upgrade(target, singleTransaction, allowChanged, p));
    }
}
