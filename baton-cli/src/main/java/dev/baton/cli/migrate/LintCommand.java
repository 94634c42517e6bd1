package dev.baton.cli.migrate;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.deploy.migrator.LintCache;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.LintFinding;
import dev.baton.migrate.LintReport;
import dev.baton.migrate.PreparedLint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check what the pending revisions would do to the version still serving.",
                "In a blue/green deploy the old version runs on the new schema from the migration to the",
                "switch (and for good if the deploy then fails): a dropped or renamed column, a NOT NULL it",
                "does not fill, a changed type, or a long lock breaks or stalls it before the new version",
                "serves.",
                "The revisions run on a shadow database (a scratch copy on the same server, brought to the",
                "target's revision and dropped afterwards); Baton observes from the server's catalogs and",
                "pg_locks what each statement changes, rewrites and locks. Where no shadow can be made",
                "(no CREATEDB), the statements are read statically, and the output says so.",
                "It always lints afresh; a verdict observed on a shadow is kept an hour in",
                "$XDG_CACHE_HOME/baton/lint (else ~/.cache/baton/lint), and a deploy of the same migrations",
                "to the same database takes it instead of making a second shadow.",
                "Accept a finding next to its statement:  -- baton:allow <rule-id> <reason>",
                "Exit 1 when a finding is an error, 0 otherwise. Rules: docs/migrate.md."})
final class LintCommand extends MigrateSubcommand {
    @Option(names = "--shadow-url", paramLabel = "URL",
            description = "a database on the server to make the shadow on (default: migrations.shadow_url, then the target's)")
    String shadowUrl;

    @Option(names = "--sarif", paramLabel = "FILE", description = "also write the findings as SARIF 2.1.0 (for GitHub code scanning)")
    Path sarif;

    LintCommand(Cli cli) {
        super(cli);
    }

    @Override
    public Integer call() {
        String shadow = shadowUrl != null ? shadowUrl : where.config(cli).shadowUrl();
        PreparedLint lint = engine(true).prepareLint(shadow == null ? null : DatabaseUrl.parse(shadow, null, null));
        LintReport report = lint.run().get(); // always a fresh lint; its verdict is kept for a deploy of the same inputs
        lint.fingerprint().ifPresent(key -> LintCache.forUser(cli.env()).put(key, report, Instant.now()));
        if (sarif != null) {
            writeSarif(cli.resolve(sarif.toString()), report);
        }
        if (output.json) {
            json(report.findings().stream().map(LintFinding::toMap).toList());
        } else {
            print(report);
        }
        return report.hasErrors() ? 1 : 0;
    }

    private void print(LintReport r) {
        for (LintFinding f : r.findings()) {
            cli.err().println(f.severity() + " [" + f.rule() + "] revision " + f.revision() + ", "
                    + (f.file() == null ? "" : relative(f.file()) + ":" + f.line()));
            cli.err().println("    " + f.statement());
            cli.err().println("    " + f.message());
            cli.err().println("    instead: " + f.fix());
        }
        long errors = r.findings().stream().filter(LintFinding::isError).count();
        cli.err().println((r.findings().isEmpty() ? "no findings" : errors + " error(s), " + (r.findings().size() - errors)
                + " warning(s)") + " in " + (r.observed().size() + r.staticOnly().size()) + " pending revision(s); " + r.shadow()
                + (r.staticOnly().isEmpty() ? "" : "; read statically: " + String.join(", ", r.staticOnly())));
        cli.err().flush();
    }

    private String relative(String file) {
        Path p = Path.of(file).toAbsolutePath().normalize();
        Path base = cli.workDir().toAbsolutePath().normalize();
        return p.startsWith(base) ? base.relativize(p).toString() : p.toString();
    }

    /** SARIF 2.1.0: one run, Baton as the tool, each finding a result at its file and line. */
    private void writeSarif(Path file, LintReport r) {
        List<Map<String, Object>> rules = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (LintFinding f : r.findings()) {
            if (!seen.contains(f.rule())) {
                seen.add(f.rule());
                rules.add(Map.of("id", f.rule(), "shortDescription", Map.of("text", f.rule()), "help", Map.of("text", f.fix())));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.rule());
            result.put("level", f.isError() ? "error" : "warning");
            result.put("message", Map.of("text", "revision " + f.revision() + ": " + f.message() + ". Instead: " + f.fix()));
            if (f.file() != null) {
                Map<String, Object> physical = new LinkedHashMap<>();
                physical.put("artifactLocation", Map.of("uri", relative(f.file())));
                if (f.line() > 0) {
                    physical.put("region", Map.of("startLine", f.line()));
                }
                result.put("locations", List.of(Map.of("physicalLocation", physical)));
            }
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "baton");
        driver.put("rules", rules);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        log.put("runs", List.of(Map.of("tool", Map.of("driver", driver), "results", results)));
        try {
            Files.writeString(file, Json.write(log) + "\n");
        } catch (IOException e) {
            throw BatonException.usage("cannot write --sarif " + file + ": " + IoReason.of(e));
        }
    }
}
