package dev.baton.deploy.steps;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Reversible;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.StepResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** For a rollback: starts, on every server, the services of the colour going back into service that are not running. */
public final class StartIfStopped implements Reversible<DeployContext> {
    private record Started(Server server, ServiceSpec service) {}

    private final List<Started> started = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "StartIfStopped";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        Server.onEach(ctx.servers(), server -> {
            for (ServiceSpec s : ctx.config().services().values()) {
                if (!server.runtime().running(s, ctx.target())) {
                    server.runtime().start(s, ctx.target());
                    started.add(new Started(server, s));
                }
            }
        });
        return StepResult.done(started.isEmpty() ? ctx.target() + " still runs" : "started " + started.size() + " on " + ctx.target());
    }

    @Override
    public void undo(DeployContext ctx) {
        for (Started s : started) {
            s.server().runtime().stop(s.service(), ctx.target());
        }
    }
}
