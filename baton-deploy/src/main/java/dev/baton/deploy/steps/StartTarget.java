package dev.baton.deploy.steps;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Reversible;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.state.ColourRun;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Reference step 7: the target colour of every service is started on its own port, on every
 * server at once. A target left over from an earlier failed or killed deploy is stopped first; a
 * port something else listens on refuses the deploy before anything starts; a start that fails
 * stops what this step started.
 * Undo stops the target again, unless {@code keep_failed_target: true} asks to keep it.
 */
public final class StartTarget implements Reversible<DeployContext> {
    @Override
    public String name() {
        return "StartTarget";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        // with those of its services baton.yml no longer names (renamed since): left running, they hold its ports
        List<ServiceSpec> earlier = new ArrayList<>(ctx.config().services().values());
        ctx.before().colour(ctx.target()).ifPresent(r -> earlier.addAll(r.removed(ctx.config().services().values(), ctx.target())));
        List<String> startedBy = ctx.before().colour(ctx.target()).map(ColourRun::runtime).orElse(List.of());
        Server.onEach(ctx.servers(), server -> {
            for (ServiceRuntime runtime : new LinkedHashSet<>(List.of(server.runtime(), server.runtimeFor(startedBy)))) {
                for (ServiceSpec s : earlier) {
                    if (runtime.running(s, ctx.target())) {
                        ctx.log().line(server.name() + ": " + s.name() + " " + ctx.target()
                                + " is still running from an earlier deploy; stopping it");
                        runtime.stop(s, ctx.target());
                    }
                }
            }
        });
        TakenPorts.refuse(ctx, (server, s) -> true);
        try {
            Server.onEach(ctx.servers(), server -> {
                for (ServiceSpec s : ctx.config().services().values()) {
                    server.runtime().start(s, ctx.target());
                    ctx.log().line(server.name() + ": started " + s.name() + " " + ctx.target() + " on port "
                            + s.port(ctx.target()) + ", log " + server.runtime().log(s, ctx.target()));
                }
            });
        } catch (RuntimeException e) {
            // a failed step is not undone by the pipeline: leave nothing of it running (unless asked to keep it)
            if (!ctx.config().keepFailedTarget()) {
                stopTarget(ctx);
            }
            throw e;
        }
        List<String> out = new ArrayList<>();
        for (ServiceSpec s : ctx.config().services().values()) {
            out.add(s.name() + ":" + s.port(ctx.target()));
        }
        return StepResult.done(ctx.target() + " " + String.join(" ", out) + (ctx.servers().size() > 1 ? " on " + ctx.servers().size() + " hosts" : ""));
    }

    private static void stopTarget(DeployContext ctx) {
        Server.onEach(ctx.servers(), server -> {
            for (ServiceSpec s : ctx.config().services().values()) {
                server.runtime().stop(s, ctx.target());
            }
        });
    }

    @Override
    public String undo(DeployContext ctx) {
        if (ctx.config().keepFailedTarget()) {
            ctx.log().line("keep_failed_target: leaving " + ctx.target() + " running");
            return "";
        }
        stopTarget(ctx);
        return "";
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        List<String> notes = new ArrayList<>();
        List<StepPlan.Planned> commands = new ArrayList<>();
        for (Server server : ctx.servers()) {
            for (ServiceSpec s : ctx.config().services().values()) {
                notes.add(server.name() + ": " + s.name() + " " + ctx.target() + " on port " + s.port(ctx.target())
                        + (s.image() == null ? "" : ", image " + s.image()));
                server.runtime().startCommands(s, ctx.target()).forEach(c -> commands.add(StepPlan.Planned.of(server.name(), c)));
                server.runtime().cannotStart(s).ifPresent(why -> notes.add(server.name() + (ctx.config().build().isEmpty()
                        ? ": would fail: " : ": would fail unless build: makes it: ") + why));
            }
        }
        notes.add("refused if something else listens on a target port; a colour still running from an earlier deploy is stopped first");
        return StepPlan.runs(name(), notes, commands);
    }
}
