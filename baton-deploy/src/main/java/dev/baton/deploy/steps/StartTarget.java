package dev.baton.deploy.steps;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Reversible;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference step 7: the target colour of every service is started on its own port, on every
 * server at once. A target left over from an earlier failed or killed deploy is stopped first.
 * Undo stops the target again, unless {@code keep_failed_target: true} asks to keep it.
 */
public final class StartTarget implements Reversible<DeployContext> {
    @Override
    public String name() {
        return "StartTarget";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        Server.onEach(ctx.servers(), server -> {
            for (ServiceSpec s : ctx.config().services().values()) {
                if (server.runtime().running(s, ctx.target())) {
                    ctx.log().line(server.name() + ": " + s.name() + " " + ctx.target()
                            + " is still running from an earlier deploy; stopping it");
                    server.runtime().stop(s, ctx.target());
                }
                server.runtime().start(s, ctx.target());
                ctx.log().line(server.name() + ": started " + s.name() + " " + ctx.target() + " on port "
                        + s.port(ctx.target()) + ", log " + server.runtime().log(s, ctx.target()));
            }
        });
        List<String> out = new ArrayList<>();
        for (ServiceSpec s : ctx.config().services().values()) {
            out.add(s.name() + ":" + s.port(ctx.target()));
        }
        return StepResult.done(ctx.target() + " " + String.join(" ", out) + (ctx.servers().size() > 1 ? " on " + ctx.servers().size() + " hosts" : ""));
    }

    @Override
    public void undo(DeployContext ctx) {
        if (ctx.config().keepFailedTarget()) {
            ctx.log().line("keep_failed_target: leaving " + ctx.target() + " running");
            return;
        }
        Server.onEach(ctx.servers(), server -> {
            for (ServiceSpec s : ctx.config().services().values()) {
                server.runtime().stop(s, ctx.target());
            }
        });
    }
}
