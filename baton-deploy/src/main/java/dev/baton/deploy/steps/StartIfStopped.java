package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/** For a rollback: starts the services of the colour going back into service that are not running. */
public final class StartIfStopped implements Step<DeployContext> {
    private final List<ServiceSpec> started = new ArrayList<>();

    @Override
    public String name() {
        return "StartTarget";
    }

    @Override
    public String run(DeployContext ctx) {
        for (ServiceSpec s : ctx.config().services().values()) {
            if (!ctx.runtime().running(s, ctx.target())) {
                ctx.runtime().start(s, ctx.target());
                started.add(s);
            }
        }
        return started.isEmpty() ? ctx.target() + " still runs" : "started " + started.size() + " on " + ctx.target();
    }

    @Override
    public void undo(DeployContext ctx) {
        for (ServiceSpec s : started) {
            ctx.runtime().stop(s, ctx.target());
        }
    }
}
