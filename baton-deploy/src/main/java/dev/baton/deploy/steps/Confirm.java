package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;

/** Reference step 1: the deploy goes ahead only with the configured confirmation token. */
public final class Confirm implements Step<DeployContext> {
    @Override
    public String name() {
        return "Confirm";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        String expected = ctx.config().confirmToken();
        if (expected == null) {
            return StepResult.skipped();
        }
        if (ctx.confirm() == null) {
            throw BatonException.usage("this app asks for confirmation: pass --confirm with the value of confirm: in "
                    + ctx.config().file().getFileName());
        }
        if (!ctx.confirm().equals(expected)) {
            throw BatonException.usage("--confirm does not match confirm: in " + ctx.config().file().getFileName()
                    + "; nothing was changed");
        }
        return StepResult.done("confirmed");
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        String expected = ctx.config().confirmToken();
        if (expected == null) {
            return StepPlan.skipped(name(), "baton.yml asks for no confirmation");
        }
        return StepPlan.runs(name(), "needs --confirm " + expected + (ctx.confirm() == null ? " (not given)"
                : ctx.confirm().equals(expected) ? " (given)" : " (given, and it does not match: the deploy would stop here)"));
    }
}
