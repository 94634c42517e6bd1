package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Clear an interrupted revision, or record edited files' checksums anew.",
                "Run it after you have looked at the database: it clears a revision that was cut off",
                "half-way (it ran outside a transaction: kill -9, a lost connection, a failed statement),",
                "and records anew the checksums of applied files you edited on purpose.",
                "Without --applied an interrupted revision is recorded as not applied, so the next",
                "upgrade runs it again (undo what it did first, or make it safe to re-run);",
                "with --applied it is recorded as applied (you finished it by hand).",
                "Each repair is a history row with who ran it and why."})
final class RepairCommand extends MigrateSubcommand {
    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why (kept in the history table)")
    String reason;

    @Option(names = "--applied", description = "record interrupted revisions as applied instead of not applied")
    boolean applied;

    RepairCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        List<String> done = engine(true).repair(reason, applied);
        if (output.json) {
            json(Map.of("repaired", done));
            return 0;
        }
        cli.out().println(done.isEmpty() ? "nothing to repair: no interrupted revision, and every applied file matches its checksum"
                : "repaired:\n  " + String.join("\n  ", done));
        cli.out().flush();
        return 0;
    }
}
