package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reference step 5: which colour serves now (from the state the last deploy left, checked
 * against every server's router) and which one this deploy starts.
 */
public final class DetectActive implements Step<DeployContext> {
    @Override
    public String name() {
        return "DetectActive";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        Server.onEach(ctx.servers(), s -> s.router().ensureRunning());
        String active = ctx.before().active();
        if (active == null) {
            String target = ctx.config().router().initialColour();
            ctx.colours(null, target);
            return StepResult.done("first deploy → " + target);
        }
        List<Server> added = ctx.servers().size() > 1
                ? NewServers.of(ctx.servers()) : List.of();
        if (added.size() == ctx.servers().size()) {
            added = List.of(); // all of them: not added, but lost what they ran (rebuilt): the check below says so
        }
        ctx.newServers(added.stream().map(Server::name).collect(Collectors.toSet()));
        added.forEach(s -> ctx.log().line(s.name() + ": serves nothing of " + ctx.config().app() + " yet and runs none of it:"
                + " a server added to hosts, it gets the new colour with this deploy"));
        for (Server s : ctx.established()) {
            String routed = s.router().active();
            if (!active.equals(routed)) {
                throw BatonException.state((ctx.servers().size() > 1 ? s.name() + ": " : "") + "the router serves "
                        + routed + " but the last deploy left " + active + " active ("
                        + ctx.config().paths().state() + "); switch it back with baton rollback or"
                        + " fix the state before deploying");
            }
        }
        MovedPorts.refuseRenamed(active, ctx.config().colours(), "serves");
        MovedPorts.refuse(ctx.before(), ctx.config().services().values(), active, "serves");
        ctx.colours(active, ctx.config().other(active));
        List<String> removed = removed(ctx, active);
        removed.forEach(h -> ctx.log().line(h + ": served " + active + " and is no longer in hosts: Baton leaves it as it is (take"
                + " it out of your load balancer, then stop what runs there: docs/deploy.md, Several servers)"));
        return StepResult.done(active + " → " + ctx.target() + (added.isEmpty() ? ""
                : "; new: " + String.join(", ", added.stream().map(Server::name).toList()))
                + (removed.isEmpty() ? "" : "; no longer in hosts, left serving " + active + ": " + String.join(", ", removed)));
    }

    /** The servers {@code active} was started on that baton.yml's hosts no longer name. */
    static List<String> removed(DeployContext ctx, String active) {
        List<String> now = ctx.servers().stream().map(Server::name).toList();
        return ctx.before().colour(active).map(r -> r.hosts().stream().filter(h -> !now.contains(h)).toList()).orElse(List.of());
    }

    /** From state.json alone: the routers are asked when the deploy runs, and must agree with it. */
    @Override
    public StepPlan plan(DeployContext ctx) {
        String active = ctx.before().active();
        if (active == null) {
            ctx.colours(null, ctx.config().router().initialColour());
            return StepPlan.runs(name(), "first deploy (state.json records none): the target is " + ctx.target());
        }
        MovedPorts.refuseRenamed(active, ctx.config().colours(), "serves");
        MovedPorts.refuse(ctx.before(), ctx.config().services().values(), active, "serves");
        ctx.colours(active, ctx.config().other(active));
        return StepPlan.runs(name(), active + " serves (state.json); the target is " + ctx.target()
                + "; the deploy checks that every router serves " + active + " first");
    }
}
