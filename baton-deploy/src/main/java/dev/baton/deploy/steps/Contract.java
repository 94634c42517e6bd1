package dev.baton.deploy.steps;

import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepResult;
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
}
