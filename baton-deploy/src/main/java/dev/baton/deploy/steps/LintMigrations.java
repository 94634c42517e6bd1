package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.MigrationsConfig;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.migrate.LintFinding;
import dev.baton.migrate.LintReport;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A gate before the migration: the pending migrations are linted ({@code baton migrate lint})
 * so that one that would break or stall the version still serving changes nothing. The shadow
 * database's work runs beside the steps that start the new colour (its verdict is taken before
 * {@code Migrate}), so it costs a deploy no time of its own. {@code migrations.lint: error} (the
 * default) stops the deploy on an error-level finding, {@code warn} prints findings and goes on,
 * {@code off} skips the step.
 */
public final class LintMigrations implements Step<DeployContext> {
    /** The step the lint's verdict is needed before. */
    private static final String BEFORE = new Migrate().name();

    @Override
    public String name() {
        return "LintMigrations";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        MigrationsConfig.Lint mode = ctx.config().migrations().lint();
        if (mode == MigrationsConfig.Lint.OFF || ctx.migrator().isEmpty()) {
            return StepResult.skipped();
        }
        // what serves and what is pending are read now, before the new colour can add queries of its own
        Optional<Supplier<LintReport>> lint = ctx.migrator().get().prepareLint();
        if (lint.isEmpty()) {
            return StepResult.skipped();
        }
        // the shadow database's work (most of the step) runs while the new colour starts: a verdict
        // is needed only before the migration, and an error then stops the new colour again
        return new StepResult.Beside(BEFORE, () -> verdict(ctx, mode, lint.get().get()));
    }

    private static StepResult verdict(DeployContext ctx, MigrationsConfig.Lint mode, LintReport r) {
        r.reusedFrom().ifPresent(at -> ctx.log().line("lint: the verdict of the lint at " + at + " (" + r.shadow() + "), whose"
                + " migrations, applied revisions, serving queries and server are the same: no shadow database now"));
        for (LintFinding f : r.findings()) {
            ctx.log().line("lint " + f.severity() + " [" + f.rule() + "] revision " + f.revision() + " " + f.file() + ":"
                    + f.line() + ": " + f.statement() + " -- " + f.message() + "; instead: " + f.fix());
        }
        long errors = r.findings().stream().filter(LintFinding::isError).count();
        if (errors > 0 && mode == MigrationsConfig.Lint.ERROR) {
            LintFinding first = r.findings().stream().filter(LintFinding::isError).findFirst().orElseThrow();
            throw new BatonException(ExitCode.FAILED, errors + " pending migration statement(s) would break or stall the"
                    + " version still serving; first: [" + first.rule() + "] " + first.file() + ":" + first.line() + ": "
                    + first.statement() + " -- " + first.message() + "; instead: " + first.fix()
                    + ". Nothing was migrated or switched: the old version serves as before, and the new colour is stopped."
                    + " See all with baton migrate lint"
                    + (first.rule().equals("statement-fails") ? "" : "; accept one with `-- baton:allow " + first.rule()
                    + " <reason>` next to it, or set migrations.lint: warn"));
        }
        int linted = r.observed().size() + r.staticOnly().size();
        return StepResult.done((r.findings().isEmpty() ? linted == 0 ? r.shadow() : "no findings in " + linted
                + " pending revision(s)" + (r.staticOnly().isEmpty() ? "" : " (read statically: no shadow database)")
                : errors + " error(s), " + (r.findings().size() - errors) + " warning(s)"
                + (errors > 0 ? " (migrations.lint: warn)" : "") + "; see the deploy log or baton migrate lint") + reused(r));
    }

    /** Says when a verdict is an earlier lint's (a plan's, say) of the same inputs. */
    private static String reused(LintReport r) {
        return r.reusedFrom().map(at -> " (linted at " + at.truncatedTo(ChronoUnit.SECONDS) + ", same inputs)").orElse("");
    }

    /** Runs the lint (on a shadow database; the target is only read), so the plan says what the deploy would find. */
    @Override
    public StepPlan plan(DeployContext ctx) {
        MigrationsConfig.Lint mode = ctx.config().migrations().lint();
        if (mode == MigrationsConfig.Lint.OFF || ctx.migrator().isEmpty()) {
            return StepPlan.skipped(name(), ctx.migrator().isEmpty() ? "no migrations" : "migrations.lint: off");
        }
        Optional<LintReport> lint;
        try {
            lint = ctx.migrator().get().lint();
        } catch (RuntimeException e) {
            return StepPlan.runs(name(), "runs the pending migrations on a shadow database; cannot lint now: "
                    + BatonException.describe(e));
        }
        if (lint.isEmpty()) {
            return StepPlan.skipped(name(), "a migrations.command cannot be linted");
        }
        List<String> notes = new ArrayList<>();
        LintReport r = lint.get();
        long errors = r.findings().stream().filter(LintFinding::isError).count();
        int linted = r.observed().size() + r.staticOnly().size();
        notes.add((r.findings().isEmpty() ? linted == 0 ? r.shadow() : "no findings in " + linted + " pending revision(s)"
                : errors + " error(s), " + (r.findings().size() - errors) + " warning(s)" + (errors > 0 && mode == MigrationsConfig.Lint.ERROR
                ? ": the deploy would stop before Migrate, with nothing migrated or switched" : "")) + reused(r));
        if (r.reusedFrom().isEmpty() && r.observedOnShadow()) {
            notes.add("a deploy within the hour whose migrations, database and serving queries are the same reuses this verdict");
        }
        for (LintFinding f : r.findings()) {
            notes.add(f.severity() + " [" + f.rule() + "] " + f.file() + ":" + f.line() + ": " + f.message());
        }
        return StepPlan.runs(name(), notes, List.of());
    }
}
