package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.migrate.AdoptReport;
import dev.baton.migrate.Revision;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "adopt", mixinStandardHelpOptions = true,
        description = {"Take over a database that another tool migrated.",
                "Flyway (flyway_schema_history), golang-migrate (schema_migrations), diesel",
                "(__diesel_schema_migrations), sqlx (_sqlx_migrations) or Alembic (alembic_version):",
                "reads that tool's history, matches it to the migrations folder (checksums compared where",
                "the tool recorded one: Flyway's CRC-32, sqlx's SHA-384) and records what it applied in",
                "Baton's history, marked adopted. Nothing runs, and the other tool's table is left as it is.",
                "Refused (exit 3, nothing recorded) when that history is dirty or failed, or names a",
                "migration no file has.",
                "Then `baton migrate upgrade` applies only what is new."})
final class AdoptCommand extends MigrateSubcommand {
    @Option(names = "--from", paramLabel = "TOOL",
            description = "flyway, golang-migrate, diesel, sqlx or alembic: needed only when the database has several histories")
    String from;

    AdoptCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        AdoptReport r = engine(true).adopt(from);
        if (output.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool", r.tool());
            m.put("table", r.table());
            m.put("adopted", r.adopted());
            m.put("notes", r.notes());
            m.put("pending", r.pending().stream().map(Revision::id).toList());
            json(m);
            return 0;
        }
        cli.out().println("adopted from " + r.tool() + " (" + r.table() + ", left as it was): " + r.adopted().size()
                + " revision(s) recorded as applied" + (r.adopted().isEmpty() ? ""
                : ", " + r.adopted().get(0) + " to " + r.adopted().get(r.adopted().size() - 1)));
        r.notes().forEach(n -> cli.out().println("  note: " + n));
        cli.out().println(r.pending().isEmpty() ? "up to date: the next upgrade has nothing to do"
                : "the next upgrade applies " + r.pending().size() + ": "
                + String.join(", ", r.pending().stream().map(Revision::id).toList()));
        cli.out().flush();
        return 0;
    }
}
