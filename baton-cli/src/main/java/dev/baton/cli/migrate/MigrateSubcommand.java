package dev.baton.cli.migrate;

import dev.baton.BatonException;
import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.cli.deploy.ShutdownGuard;
import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.MigrateSettings;
import dev.baton.migrate.MigrationEngine;
import dev.baton.migrate.Revision;
import dev.baton.migrate.RunReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/** What every {@code baton migrate} verb shares: where things are, how to print. */
abstract class MigrateSubcommand implements Callable<Integer> {
    protected final Cli cli;

    @Mixin
    MigrateOptions where;

    @Mixin
    OutputOptions output;

    MigrateSubcommand(Cli cli) {
        this.cli = cli;
    }

    MigrationEngine engine(boolean needDatabase) {
        return engine(where.settings(cli, needDatabase));
    }

    MigrationEngine engine(MigrateSettings settings) {
        return new MigrationEngine(settings, new ConsoleProgress(cli.err(), output.verbose));
    }

    /**
     * Runs an upgrade or downgrade so that Ctrl-C or SIGTERM cancels the statement that runs, as
     * psql does, and the outcome (what was rolled back, what stays applied, what is interrupted) is
     * printed before the process ends; before, it died without a word.
     */
    int cancellable(String verb, Function<MigrationEngine, RunReport> run) {
        MigrationEngine engine = engine(true);
        try (ShutdownGuard guard = new ShutdownGuard(cli.err(), "interrupted: cancelling the statement that runs now (its"
                + " revision is rolled back, or recorded as interrupted if it runs outside a transaction)...", engine::cancel)) {
            try {
                RunOutput.print(cli, output, run.apply(engine), verb);
                return 0;
            } catch (BatonException e) {
                if (!guard.stopping()) {
                    throw e;
                }
                cli.err().println("error: " + e.getMessage());
                cli.err().flush();
                return 130; // what the shell reports for a process that SIGINT ended
            }
        }
    }

    void json(Object value) {
        cli.out().println(Json.write(value));
        cli.out().flush();
    }

    static Map<String, Object> view(Revision r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("revision", r.id());
        m.put("parents", r.parents());
        m.put("message", r.message());
        m.put("source", r.source());
        m.put("transactional", r.transactional());
        m.put("reversible", r.down() != null);
        m.put("phase", r.contract() ? "contract" : "expand");
        return m;
    }

    static Map<String, Object> view(AppliedRevision a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("revision", a.revision());
        m.put("parents", a.parents());
        m.put("message", a.message());
        m.put("applied_at", a.appliedAt().toString());
        m.put("applied_by", a.appliedBy());
        m.put("execution_ms", a.executionMs());
        m.put("how", a.how().dbName());
        return m;
    }

    static String heads(List<String> ids) {
        return ids.isEmpty() ? "base (nothing applied)" : String.join(", ", ids);
    }
}
