package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.migrate.HistoryEntry;
import dev.baton.migrate.MigrateSettings;
import dev.baton.migrate.MigrationEngine;
import dev.baton.migrate.Revision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List every revision in graph order (oldest first), applied or pending.",
                "Without a database (no --url), shows the folder only."})
final class MigrateHistoryCommand extends MigrateSubcommand {
    MigrateHistoryCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        MigrateSettings settings = where.settings(cli, false);
        MigrationEngine engine = engine(settings);
        boolean hasDatabase = settings.database() != null;
        List<HistoryEntry> entries = hasDatabase ? engine.history() : folderOnly(engine);
        if (output.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (HistoryEntry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>(view(e.revision()));
                m.put("head", e.head());
                m.put("state", !hasDatabase ? "unknown" : e.isApplied() ? "applied" : "pending");
                m.put("applied", e.applied() == null ? null : view(e.applied()));
                rows.add(m);
            }
            json(Map.of("history", rows));
            return 0;
        }
        for (HistoryEntry e : entries) {
            Revision r = e.revision();
            String state = !hasDatabase ? "" : e.isApplied() ? "[applied] " : "[pending] ";
            String parents = r.parents().isEmpty() ? "<base>" : String.join(", ", r.parents());
            cli.out().println(state + parents + " -> " + r.id() + (e.head() ? " (head)" : "")
                    + (r.message().isEmpty() ? "" : ", " + r.message()));
            if (output.verbose) {
                cli.out().println("    source: " + r.source() + (r.transactional() ? "" : "  (non-transactional)")
                        + (r.down() == null ? "  (irreversible)" : ""));
                if (e.applied() != null) {
                    cli.out().println("    applied " + e.applied().appliedAt() + " by " + e.applied().appliedBy()
                            + " in " + e.applied().executionMs() + " ms");
                }
            }
        }
        cli.out().flush();
        return 0;
    }

    private static List<HistoryEntry> folderOnly(MigrationEngine engine) {
        List<String> heads = engine.heads().stream().map(Revision::id).toList();
        return engine.revisions().stream().map(r -> new HistoryEntry(r, heads.contains(r.id()), null)).toList();
    }
}
