package dev.baton.cli.deploy;

import dev.baton.BatonException;
import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.state.AuditLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code baton history}: past deploys and rollbacks from the audit log. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List past deploys and rollbacks, newest first.", "",
                "From <state_dir>/audit.jsonl:",
                "when, release, colours, outcome, duration, who, and the failed step if any."})
public final class HistoryCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConfigOption config;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "show at most N records, N >= 1 (default: 20)")
    long limit; // a long, so that a number too large for an int is still "at most N" rather than a parse error

    @Option(names = "--json", description = "print the records as JSON on stdout")
    boolean json;

    public HistoryCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw BatonException.usage("--limit " + limit + ": how many records to show, 1 or more, e.g. --limit 50");
        }
        DeployConfig cfg = config.readToShow(cli);
        List<Map<String, Object>> all = new AuditLog(cfg.stateDir()).read();
        List<Map<String, Object>> shown = new ArrayList<>(all.subList((int) Math.max(0, all.size() - limit), all.size()));
        Collections.reverse(shown);
        if (json) {
            cli.out().println(Json.write(shown));
        } else if (shown.isEmpty()) {
            cli.out().println("no deploys yet (" + new AuditLog(cfg.stateDir()).file() + " is empty)");
        } else {
            // a version defaults to the release's time (15 characters): the column fits it
            cli.out().println(String.format("%-20s %-8s %-16s %-24s %-13s %-11s %8s  %s", "STARTED", "KIND", "VERSION", "RELEASE", "COLOURS",
                    "OUTCOME", "SECONDS", "BY"));
            for (Map<String, Object> r : shown) {
                // a recovery aims at no colour: what it left serving
                Object to = "recover".equals(r.get("kind")) ? r.get("active") : r.get("to");
                cli.out().println(String.format("%-20s %-8s %-16s %-24s %-13s %-11s %8.1f  %s%s",
                        String.valueOf(r.get("started")).replaceFirst("\\.\\d+Z$", "Z"), r.get("kind"),
                        orDash(r.get("version")), orDash(r.get("release")), orDash(r.get("from")) + "→" + orDash(to), r.get("outcome"),
                        ((Number) r.getOrDefault("ms", 0L)).longValue() / 1000.0, r.get("by"),
                        r.get("failed_step") == null ? "" : "  (failed at " + r.get("failed_step") + ")"));
            }
        }
        cli.out().flush();
        return 0;
    }

    /** A value of an audit record, or "-" where it has none (a first deploy's old colour, a refused rollback's new one). */
    private static Object orDash(Object value) {
        return value == null ? "-" : value;
    }
}
