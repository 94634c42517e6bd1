package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.Migrator;
import java.util.List;

/** Reference step 12: the schema is at the release's head and the expected tables exist. */
public final class Verify implements Step<DeployContext> {
    @Override
    public String name() {
        return "Verify";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        if (ctx.migrator().isEmpty()) {
            return StepResult.skipped();
        }
        Migrator m = ctx.migrator().get();
        List<String> problems = m.verify();
        if (!problems.isEmpty()) {
            throw new BatonException(ExitCode.FAILED, "schema check failed: " + String.join("; ", problems));
        }
        List<String> tables = ctx.config().migrations().verifyTables();
        return StepResult.done(m.current().map(now -> "at " + (now.isEmpty() ? "(empty)" : String.join(",", now))
                + (tables.isEmpty() ? "" : ", tables " + String.join(", ", tables))).orElse("ok"));
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        if (ctx.migrator().isEmpty()) {
            return StepPlan.skipped(name(), "no migrations");
        }
        List<String> tables = ctx.config().migrations().verifyTables();
        return StepPlan.runs(name(), "checks the schema is at the release's head" + (tables.isEmpty() ? ""
                : " and has tables " + String.join(", ", tables)));
    }
}
