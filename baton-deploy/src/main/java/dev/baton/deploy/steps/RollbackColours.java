package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepResult;

/** The first step of a rollback: the active colour gives way to the one before it. */
public final class RollbackColours implements Step<DeployContext> {
    @Override
    public String name() {
        return "RollbackColours";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        String active = ctx.before().active();
        String previous = ctx.before().previous();
        if (active == null || previous == null) { // said before any router is started: nothing is left running
            throw BatonException.state("nothing to roll back to: " + (active == null ? "no deploy has succeeded yet"
                    : "the last deploy was the first (" + active + ")"));
        }
        Server.onEach(ctx.servers(), s -> s.router().ensureRunning());
        String routed = ctx.first().router().active();
        ctx.colours(routed, previous);
        if (previous.equals(routed)) {
            throw BatonException.state("the router serves " + previous + " already; nothing to roll back");
        }
        return StepResult.done(routed + " → " + previous);
    }
}
