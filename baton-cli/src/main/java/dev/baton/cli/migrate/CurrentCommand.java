package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.migrate.AppliedRevision;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "current", mixinStandardHelpOptions = true,
        description = "Show the applied head revision(s) of the database (reads only the history table).")
final class CurrentCommand extends MigrateSubcommand {
    CurrentCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        List<AppliedRevision> current = engine(true).current();
        if (output.json) {
            json(Map.of("current", current.stream().map(MigrateSubcommand::view).toList()));
            return 0;
        }
        if (current.isEmpty()) {
            cli.out().println("base (no revision applied)");
        }
        for (AppliedRevision a : current) {
            cli.out().println(a.revision() + (a.message().isEmpty() ? "" : "  " + a.message())
                    + (output.verbose ? "  (applied " + a.appliedAt() + " by " + a.appliedBy() + ", " + a.executionMs()
                    + " ms" + (a.how().dbName().equals("stamp") ? ", stamped" : "") + ")" : ""));
        }
        cli.out().flush();
        return 0;
    }
}
