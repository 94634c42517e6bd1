package dev.baton.cli.migrate;

import dev.baton.ExitCode;
import dev.baton.cli.Cli;
import dev.baton.migrate.VerifyReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check applied revisions against their files, and that named tables exist.",
                "Each applied revision must exist in the folder with the checksum it was applied with.",
                "Exits 3 if anything is wrong."})
final class VerifyCommand extends MigrateSubcommand {
    @Option(names = "--table", paramLabel = "NAME", description = "a table that must exist (repeatable; adds to migrations.verify_tables)")
    List<String> tables = new ArrayList<>();

    VerifyCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(where.config(cli).verifyTables());
        all.addAll(tables);
        VerifyReport report = engine(true).verify(all);
        if (output.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", report.ok());
            m.put("current", report.current());
            m.put("checked_revisions", report.checkedRevisions());
            m.put("checked_tables", report.checkedTables());
            m.put("problems", report.problems());
            json(m);
        } else if (report.ok()) {
            cli.out().println("ok: " + report.checkedRevisions() + " applied revision(s) match their files"
                    + (report.checkedTables().isEmpty() ? "" : "; tables exist: " + String.join(", ", report.checkedTables()))
                    + "; at " + heads(report.current()));
        } else {
            for (String p : report.problems()) {
                cli.err().println("problem: " + p);
            }
        }
        cli.out().flush();
        cli.err().flush();
        return report.ok() ? 0 : ExitCode.STATE.code();
    }
}
