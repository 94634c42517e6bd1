package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.migrate.Revision;
import dev.baton.migrate.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the applied heads, the pending revisions and any interrupted one.",
                "The revisions an upgrade would apply are listed; a revision cut off half-way",
                "makes it exit 1 (see baton migrate repair)."})
final class MigrateStatusCommand extends MigrateSubcommand {
    MigrateStatusCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        Status s = engine(true).status();
        if (output.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("current", s.current());
            m.put("heads", s.heads());
            m.put("pending_count", s.pending().size());
            m.put("pending", s.pending().stream().map(MigrateSubcommand::view).toList());
            m.put("interrupted", s.interrupted());
            m.put("other_tools", s.otherTools());
            json(m);
            return s.interrupted().isEmpty() ? 0 : 1;
        }
        for (String t : s.otherTools()) {
            cli.out().println("MIGRATED BY ANOTHER TOOL: " + t + "; Baton has recorded nothing: upgrade refuses to run every"
                    + " file again. Take it over with baton migrate adopt (records what that tool applied; runs nothing)");
        }
        for (String i : s.interrupted()) {
            cli.out().println("INTERRUPTED: " + i + " (it ran outside a transaction); look at the database, then"
                    + " baton migrate repair --reason '...'");
        }
        cli.out().println("current: " + heads(s.current()));
        cli.out().println("head:    " + heads(s.heads()));
        if (s.pending().isEmpty()) {
            cli.out().println("up to date: no pending revisions");
        } else {
            cli.out().println(s.pending().size() + " pending:");
            for (Revision r : s.pending()) {
                cli.out().println("  " + r.id() + (r.message().isEmpty() ? "" : "  " + r.message())
                        + (r.transactional() ? "" : "  (non-transactional)") + (r.contract() ? "  (contract)" : ""));
            }
        }
        cli.out().flush();
        return s.interrupted().isEmpty() ? 0 : 1;
    }
}
