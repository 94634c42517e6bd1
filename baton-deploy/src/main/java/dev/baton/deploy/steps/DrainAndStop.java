package dev.baton.deploy.steps;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.state.ColourRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reference step 13, measured instead of "sleep 5": each router waits until no request is in
 * flight to the old colour (bounded by deadlines.drain), then the old colour is stopped. After
 * this there is nothing to switch back to, so it finalizes the deploy.
 */
public final class DrainAndStop implements Step<DeployContext> {
    @Override
    public String name() {
        return "DrainAndStop";
    }

    @Override
    public boolean finalizes() {
        return true;
    }

    @Override
    public StepResult run(DeployContext ctx) {
        if (ctx.active() == null) {
            return StepResult.skipped();
        }
        Duration deadline = ctx.config().deadlines().drain();
        Map<String, String> outcome = new ConcurrentHashMap<>();
        Set<String> killed = ConcurrentHashMap.newKeySet();
        Server.onEach(ctx.servers(), server -> {
            long start = System.nanoTime();
            int left = server.router().drain(ctx.active(), deadline);
            long drainedMs = (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                ctx.log().line(server.name() + ": drain deadline passed with " + left + " still in flight to " + ctx.active());
            }
            ServiceRuntime startedBy = server.runtimeFor(ctx.before().colour(ctx.active()).map(ColourRun::runtime).orElse(List.of()));
            for (ServiceSpec s : stopped(ctx)) {
                long stopping = System.nanoTime();
                startedBy.stop(s, ctx.active());
                if (!s.stopGrace().isZero() && Duration.ofNanos(System.nanoTime() - stopping).compareTo(s.stopGrace()) >= 0) {
                    Duration g = s.stopGrace();
                    killed.add(s.name() + " (stop_grace " + (g.toMillis() % 1000 == 0 ? g.toSeconds() + " s" : g.toMillis() + " ms") + ")");
                }
            }
            outcome.put(server.name(), (left > 0 ? "deadline passed with " + left + " in flight after " : "drained in ")
                    + drainedMs + " ms");
        });
        String detail = ctx.servers().size() == 1 ? outcome.values().iterator().next()
                : String.join(", ", ctx.servers().stream().map(s -> s.name() + " " + outcome.get(s.name())).toList());
        // every deploy waits out the grace for such a process: worth saying where the fix is
        return StepResult.done(detail + "; stopped " + ctx.active() + (killed.isEmpty() ? "" : "; " + String.join(", ",
                new TreeSet<>(killed)) + " did not exit on SIGTERM and was killed when its grace ran out: make it exit on"
                + " SIGTERM (a shell or server that is a container's PID 1 ignores it: run_args: [--init])"));
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        if (ctx.active() == null) {
            return StepPlan.skipped(name(), "first deploy: no old colour");
        }
        List<StepPlan.Planned> commands = new ArrayList<>();
        for (Server server : ctx.servers()) {
            ServiceRuntime startedBy = server.runtimeFor(ctx.before().colour(ctx.active()).map(ColourRun::runtime).orElse(List.of()));
            for (ServiceSpec s : stopped(ctx)) {
                startedBy.stopCommands(s, ctx.active()).forEach(c -> commands.add(StepPlan.Planned.of(server.name(), c)));
            }
        }
        return StepPlan.runs(name(), List.of("waits for the requests in flight to " + ctx.active() + " (up to "
                + ctx.config().deadlines().drain().toSeconds() + " s, deadlines.drain), then stops " + ctx.active()
                + " (SIGTERM, SIGKILL after stop_grace); from here nothing is undone"), commands);
    }

    /** The old colour's services: baton.yml's, and those it was started with that baton.yml no longer names. */
    static List<ServiceSpec> stopped(DeployContext ctx) {
        List<ServiceSpec> out = new ArrayList<>(ctx.config().services().values());
        ctx.before().colour(ctx.active()).ifPresent(r -> out.addAll(r.removed(ctx.config().services().values(), ctx.active())));
        return out;
    }
}
