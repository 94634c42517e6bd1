package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.probe.HttpProbe;
import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference step 15, moved before the old colour stops: the public URLs answer 2xx through the
 * router. Failing here switches traffic back (SwitchTraffic's undo) while the old colour runs.
 */
public final class Validate implements Step<DeployContext> {
    private static final Duration POLL = Duration.ofMillis(100);

    @Override
    public String name() {
        return "Validate";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        List<String> paths = ctx.targetValidate();
        if (paths.isEmpty()) {
            return StepResult.skipped();
        }
        long deadline = System.nanoTime() + ctx.config().deadlines().validate().toNanos();
        List<HttpProbe.Answer> failing = new ArrayList<>();
        for (Server server : ctx.servers()) {
            URI base = server.host().reach(server.router().publicUri());
            for (String path : paths) {
                HttpProbe.Answer[] last = new HttpProbe.Answer[1];
                try {
                    // one deadline for all of them: a URL that took long leaves the others less time
                    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    Wait.of("validation of " + path, left, POLL).until(() -> {
                        last[0] = HttpProbe.get(base.resolve(path), Duration.ofSeconds(5));
                        ctx.log().line("validate: " + last[0]);
                        return last[0].ok() ? Probe.ok() : Probe.notYet(last[0].toString());
                    });
                } catch (Wait.TimedOut e) {
                    failing.add(last[0]);
                }
            }
        }
        if (!failing.isEmpty()) {
            StringBuilder msg = new StringBuilder("public URLs failed through the router:");
            failing.forEach(a -> msg.append("\n    ").append(a));
            throw new BatonException(ExitCode.FAILED, msg.toString());
        }
        return StepResult.done(paths.size() + (paths.size() == 1 ? " URL answers" : " URLs answer") + " through "
                + (ctx.servers().size() > 1 ? ctx.servers().size() + " routers" : ctx.first().router().publicUri().toString()));
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        List<String> paths = ctx.targetValidate();
        if (paths.isEmpty()) {
            return StepPlan.skipped(name(), "validate: []");
        }
        List<String> notes = new ArrayList<>();
        for (Server server : ctx.servers()) {
            for (String path : paths) {
                notes.add((ctx.servers().size() > 1 ? server.name() + ": " : "") + "GET " + server.router().publicUri().resolve(path)
                        + " until 2xx");
            }
        }
        notes.add("up to " + ctx.config().deadlines().validate().toSeconds() + " s (deadlines.validate); on failure traffic goes back to "
                + (ctx.active() == null ? "nothing (first deploy)" : ctx.active() + ", which still runs"));
        return StepPlan.runs(name(), notes, List.of());
    }
}
