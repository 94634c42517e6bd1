package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference step 7: the target colour of every service is started on its own port. A target
 * left over from an earlier failed or killed deploy is stopped first. Undo stops the target
 * again, unless {@code keep_failed_target: true} asks to keep it for inspection.
 */
public final class StartTarget implements Step<DeployContext> {
    @Override
    public String name() {
        return "StartTarget";
    }

    @Override
    public String run(DeployContext ctx) {
        List<String> out = new ArrayList<>();
        for (ServiceSpec s : ctx.config().services().values()) {
            if (ctx.runtime().running(s, ctx.target())) {
                ctx.log().line(s.name() + " " + ctx.target() + " is still running from an earlier deploy; stopping it");
                ctx.runtime().stop(s, ctx.target());
            }
            ctx.runtime().start(s, ctx.target());
            ctx.log().line("started " + s.name() + " " + ctx.target() + " on port " + s.port(ctx.target())
                    + ", log " + ctx.runtime().log(s, ctx.target()));
            out.add(s.name() + ":" + s.port(ctx.target()));
        }
        return ctx.target() + " " + String.join(" ", out);
    }

    @Override
    public void undo(DeployContext ctx) {
        if (ctx.config().keepFailedTarget()) {
            ctx.log().line("keep_failed_target: leaving " + ctx.target() + " running");
            return;
        }
        for (ServiceSpec s : ctx.config().services().values()) {
            ctx.runtime().stop(s, ctx.target());
        }
    }
}
