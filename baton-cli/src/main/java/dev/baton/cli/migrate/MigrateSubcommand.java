package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.Json;
import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.MigrateSettings;
import dev.baton.migrate.MigrationEngine;
import dev.baton.migrate.Revision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
