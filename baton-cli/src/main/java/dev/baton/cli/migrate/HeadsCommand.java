package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.migrate.Revision;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "heads", mixinStandardHelpOptions = true,
        description = "Show the head revision(s) of the migrations folder (no database needed).")
final class HeadsCommand extends MigrateSubcommand {
    HeadsCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        List<Revision> heads = engine(false).heads();
        if (output.json) {
            json(Map.of("heads", heads.stream().map(MigrateSubcommand::view).toList()));
            return 0;
        }
        for (Revision r : heads) {
            cli.out().println(r.id() + " (head)" + (r.message().isEmpty() ? "" : "  " + r.message())
                    + (output.verbose ? "  " + r.source() : ""));
        }
        if (heads.size() > 1) {
            cli.err().println("note: " + heads.size() + " heads; join them with `baton migrate new --merge \"merge heads\"`");
        }
        cli.out().flush();
        return 0;
    }
}
