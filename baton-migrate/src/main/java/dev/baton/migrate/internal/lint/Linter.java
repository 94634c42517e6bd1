package dev.baton.migrate.internal.lint;

import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.LintFinding;
import dev.baton.migrate.LintReport;
import dev.baton.migrate.Revision;
import dev.baton.migrate.internal.PlannedStep;
import dev.baton.migrate.internal.Postgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code baton migrate lint}: the pending revisions run on a shadow database brought to the
 * target's revision, observed there ({@link ShadowObserver}); where no shadow can be built,
 * read statically ({@link StaticRules}) and said so. Then the allow comments ({@link Suppressions}).
 */
public final class Linter {
    /** Brings a fresh shadow to the target's applied revisions (the engine's own upgrade, run on the shadow). */
    public interface Replay {
        void to(DatabaseUrl shadow) throws Exception;
    }

    private Linter() {}

    /**
     * @param admin where to make the shadow: a database on the server that holds it
     * @param pending the upgrade the target would run
     */
    public static LintReport lint(DatabaseUrl admin, Replay replay, List<PlannedStep> pending, Consumer<String> progress) {
        return lint(admin, replay, pending, List.of(), progress);
    }

    /** @param serving the serving version's queries that prepare on the target now */
    public static LintReport lint(DatabaseUrl admin, Replay replay, List<PlannedStep> pending, List<String> serving,
                                  Consumer<String> progress) {
        List<ShadowObserver.Finding> raw = new ArrayList<>();
        List<String> observed = new ArrayList<>();
        List<String> staticOnly = new ArrayList<>();
        String shadowNote;
        List<PlannedStep> left = pending;
        if (pending.isEmpty()) {
            return new LintReport(List.of(), List.of(), List.of(), "nothing pending");
        }
        ShadowDatabase shadow = null;
        try {
            shadow = ShadowDatabase.create(admin);
            shadowNote = "shadow database " + shadow.name() + " on " + admin.display();
            progress.accept("linting on " + shadowNote + " (dropped afterwards)");
            replay.to(shadow.url());
            try (Connection c = Postgres.connect(shadow.url(), "lint")) {
                ShadowObserver observer = new ShadowObserver(c, serving);
                left = new ArrayList<>();
                boolean going = true;
                for (PlannedStep step : pending) {
                    if (!going) {
                        left.add(step);
                        continue;
                    }
                    going = observer.run(step);
                    observed.add(step.revision().id());
                }
                raw.addAll(observer.findings());
                if (!left.isEmpty()) {
                    shadowNote += "; revisions after a failing statement were read statically";
                }
            }
        } catch (Exception e) {
            shadowNote = "no shadow database (" + e.getMessage() + "): read statically";
            raw.clear();
            observed.clear();
            left = pending;
        } finally {
            if (shadow != null) {
                try {
                    shadow.close();
                } catch (SQLException e) {
                    progress.accept("could not drop " + shadow.name() + " (" + e.getMessage() + "); the next lint drops it");
                }
            }
        }
        for (PlannedStep step : left) {
            raw.addAll(StaticRules.check(step));
            staticOnly.add(step.revision().id());
        }
        List<LintFinding> findings = new ArrayList<>();
        for (PlannedStep step : pending) {
            List<ShadowObserver.Finding> mine = raw.stream().filter(f -> f.revision().id().equals(step.revision().id())).toList();
            if (step.revision().contract()) { // runs after the old version stopped: nothing left to break
                mine = mine.stream().filter(f -> !f.rule().breaksServingVersion()).toList();
            }
            for (ShadowObserver.Finding f : Suppressions.apply(step, mine)) {
                findings.add(finding(f));
            }
        }
        return new LintReport(findings, observed, staticOnly, shadowNote);
    }

    private static LintFinding finding(ShadowObserver.Finding f) {
        Revision r = f.revision();
        String message = (f.detail().isEmpty() ? "" : f.detail() + ": ") + f.rule().why();
        return new LintFinding(f.rule().id(), f.rule().severity(), r.id(), f.file(), f.line(), abbreviate(f.statement()),
                message, f.rule().fix());
    }

    private static String abbreviate(String sql) {
        String one = sql.replaceAll("\\s+", " ").strip();
        return one.length() > 160 ? one.substring(0, 160) + " ..." : one;
    }
}
