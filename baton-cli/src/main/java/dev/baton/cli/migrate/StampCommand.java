package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.migrate.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stamp", mixinStandardHelpOptions = true,
        description = {"Record the database as being at REV without running any SQL.",
                "For a schema created by other means; the history table records each stamp."})
final class StampCommand extends MigrateSubcommand {
    @Parameters(index = "0", paramLabel = "REV", description = "a revision id, head, heads, or base")
    String target;

    StampCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        RunReport report = engine(true).stamp(target);
        RunOutput.print(cli, output, report, "stamp");
        return 0;
    }
}
