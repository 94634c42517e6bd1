package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Print the SQL an upgrade to TARGET would run, without running it.",
                "Starts from the database's applied revisions, or from --from without a database."})
final class SqlCommand extends MigrateSubcommand {
    @Parameters(index = "0", defaultValue = "head", paramLabel = "TARGET", description = "head (default), heads, a revision, or +N")
    String target;

    @Option(names = "--from", paramLabel = "REV", description = "start from this revision (or base) instead of reading the database")
    String from;

    SqlCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        cli.out().print(engine(from == null).sql(target, from));
        cli.out().flush();
        return 0;
    }
}
