package dev.baton.cli.migrate;

import dev.baton.cli.Cli;
import dev.baton.Json;
import dev.baton.migrate.RunReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints the outcome of an upgrade, downgrade or stamp. */
final class RunOutput {
    private RunOutput() {}

    static void print(Cli cli, OutputOptions output, RunReport report, String verb) {
        if (output.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("direction", verb);
            m.put("before", report.before());
            m.put("after", report.after());
            List<Map<String, Object>> steps = report.steps().stream().map(s -> {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("revision", s.revision().id());
                step.put("message", s.revision().message());
                step.put("elapsed_ms", s.elapsed().toMillis());
                return step;
            }).toList();
            m.put("revisions", steps);
            m.put("elapsed_ms", report.elapsed().toMillis());
            m.put("log", report.logFile() == null ? null : report.logFile().toString());
            cli.out().println(Json.write(m));
            cli.out().flush();
        }
        if (report.steps().isEmpty()) {
            cli.err().println("nothing to " + verb + "; at " + MigrateSubcommand.heads(report.after()));
        } else {
            cli.err().println(verb + ": " + report.steps().size() + " revision(s) in " + report.elapsed().toMillis()
                    + " ms; now at " + MigrateSubcommand.heads(report.after()));
        }
        if (output.verbose && report.logFile() != null) {
            cli.err().println("log: " + report.logFile());
        }
        cli.err().flush();
    }
}
