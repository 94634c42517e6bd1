package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Write a new, empty revision whose parent is the current head, and print its path.",
                "In a Baton folder: <id>_<message>.sql with a fresh random 12-hex id; in Flyway,",
                "golang-migrate or folder layouts: the next file(s) of that layout."})
final class NewCommand extends MigrateSubcommand {
    @Parameters(index = "0", paramLabel = "MESSAGE", description = "what the revision does, e.g. \"add users table\"")
    String message;

    @Option(names = "--merge", description = "make a merge revision whose parents are all current heads")
    boolean merge;

    NewCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        Path file = engine(false).newRevision(message, merge);
        cli.out().println(cli.workDir().relativize(file.toAbsolutePath()));
        cli.out().flush();
        return 0;
    }
}
