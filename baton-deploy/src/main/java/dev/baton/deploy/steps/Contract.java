package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.PendingMigrations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Expand/contract: the contract revisions (those that remove what the old version used) run
 * here, after {@code DrainAndStop}, when no old version serves any more. Past the point of no
 * return: a failure is reported (exit 5), never undone. Afterwards {@code baton rollback} to the
 * old version is refused (it cannot run on the contracted schema) unless forced.
 */
public final class Contract implements Step<DeployContext> {
    @Override
    public String name() {
        return "Contract";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        if (ctx.migrator().isEmpty()) {
            return StepResult.skipped();
        }
        Optional<String> ran = ctx.migrator().get().contract();
        return ran.map(StepResult::done).orElseGet(StepResult::skipped);
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        if (ctx.migrator().isEmpty()) {
            return StepPlan.skipped(name(), "no migrations");
        }
        try {
            Optional<PendingMigrations> p = ctx.migrator().get().pending(false);
            if (p.isEmpty() || p.get().contract().isEmpty()) {
                return StepPlan.skipped(name(), "no contract revisions pending");
            }
            List<String> notes = new ArrayList<>();
            notes.add(p.get().contract().size() + " contract revision(s), once " + (ctx.active() == null ? "the deploy is done"
                    : ctx.active() + " has stopped") + "; rollback to " + (ctx.active() == null ? "an older version" : ctx.active())
                    + " is then refused unless --force:");
            p.get().contract().forEach(r -> notes.add("  " + r));
            return StepPlan.runs(name(), notes, List.of());
        } catch (RuntimeException e) {
            return StepPlan.runs(name(), "applies pending contract revisions; cannot read them now: " + BatonException.describe(e));
        }
    }
}
