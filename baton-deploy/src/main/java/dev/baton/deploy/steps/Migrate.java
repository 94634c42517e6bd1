package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Reversible;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.Migrator;
import dev.baton.deploy.port.PendingMigrations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reference step 10: the shared schema is brought to the new version's head while the old
 * colour still serves. A failing revision is rolled back by its transaction; if a later step
 * fails before traffic moves, undo reverts to the revision the deploy started from. Once traffic
 * has reached the new version the schema stays: the new version may have written to it.
 */
public final class Migrate implements Reversible<DeployContext> {
    @Override
    public String name() {
        return "Migrate";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        if (ctx.migrator().isEmpty()) {
            return StepResult.skipped();
        }
        Migrator m = ctx.migrator().get();
        ctx.revisionBefore(m.current());
        try {
            return StepResult.done(m.upgrade(ctx.target()));
        } catch (RuntimeException e) {
            String after = revertAfterFailure(ctx, m, e);
            if (after == null) {
                throw e;
            }
            ctx.log().line("Migrate: " + after);
            throw new BatonException(e instanceof BatonException b ? b.exitCode() : ExitCode.FAILED, e.getMessage() + "\n" + after, e);
        }
    }

    /**
     * The failing revision rolled back, but the ones this run applied before it did not: the old
     * colour must find the schema as the deploy found it (undo runs only after a step succeeded).
     *
     * @return what became of them, for the failure's message; null when none of this run's stayed
     */
    private static String revertAfterFailure(DeployContext ctx, Migrator m, RuntimeException failure) {
        try {
            if (ctx.revisionBefore().isEmpty() || ctx.revisionBefore().equals(m.current())) {
                return null;
            }
            m.revertTo(ctx.revisionBefore());
            return "Baton then reverted the schema to " + show(ctx.revisionBefore().get()) + ", as the deploy found it";
        } catch (Migrator.Irreversible irreversible) {
            return "they stay (" + irreversible.getMessage() + ")" + (ctx.active() == null ? ""
                    : "; " + ctx.active() + " serves on them, as it has since they ran");
        } catch (RuntimeException revert) {
            failure.addSuppressed(revert);
            return "reverting them failed (" + revert.getMessage() + "); baton migrate status shows where the schema is";
        }
    }

    @Override
    public String undo(DeployContext ctx) {
        if (ctx.trafficMoved()) {
            ctx.log().line("Migrate: traffic reached " + ctx.target() + ", so the schema is kept as migrated");
            return "schema kept: traffic reached " + ctx.target();
        }
        Migrator m = ctx.migrator().orElseThrow();
        Optional<List<String>> now = m.current();
        if (ctx.revisionBefore().isPresent() && ctx.revisionBefore().equals(now)) {
            return ""; // the upgrade had nothing to do, or its transaction rolled back
        }
        try {
            m.revertTo(ctx.revisionBefore());
            return "";
        } catch (Migrator.Irreversible e) {
            // the serving version has run on this schema since Migrate (and the lint checked it could):
            // keeping it leaves a state that serves, where a failed undo would leave one to recover
            String kept = "schema kept at " + now.map(Migrate::show).orElse("the new revision")
                    + " (" + e.getMessage() + ")" + (ctx.active() == null ? "" : "; " + ctx.active() + " serves on it, as it has since Migrate");
            ctx.log().line("Migrate: " + kept);
            return kept;
        }
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        if (ctx.migrator().isEmpty()) {
            return StepPlan.skipped(name(), "no migrations (migrations.engine: none)");
        }
        Migrator m = ctx.migrator().get();
        List<StepPlan.Planned> commands = m.commands(ctx.target()).stream()
                .map(c -> StepPlan.Planned.of(ctx.first().name(), c)).toList();
        if (!commands.isEmpty()) {
            return StepPlan.runs(name(), List.of("runs migrations.command for " + ctx.target() + " (its pending revisions are"
                    + " its own to tell)"), commands);
        }
        try {
            Optional<PendingMigrations> p = m.pending(ctx.planSql());
            if (p.isEmpty()) {
                return StepPlan.runs(name(), "upgrades the schema");
            }
            List<String> notes = new ArrayList<>();
            PendingMigrations pm = p.get();
            String now = pm.current().isEmpty() ? "(empty)" : String.join(",", pm.current());
            notes.add(pm.expand().isEmpty() ? "nothing pending: the schema stays at " + now
                    : now + " → " + pm.expand().size() + " revision(s), each in its own transaction where it can be:");
            pm.expand().forEach(r -> notes.add("  " + r));
            if (pm.sql() != null) {
                notes.add("SQL (the whole upgrade, contract revisions included):");
                pm.sql().lines().forEach(l -> notes.add("  " + l));
            }
            return StepPlan.runs(name(), notes, List.of());
        } catch (RuntimeException e) {
            return StepPlan.runs(name(), "upgrades the schema; what is pending cannot be read now: " + BatonException.describe(e));
        }
    }

    private static String show(List<String> heads) {
        return heads.isEmpty() ? "(empty)" : String.join(",", heads);
    }
}
