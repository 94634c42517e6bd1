package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Reversible;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reference step 11: every server's router sends new requests to the target colour; requests in
 * flight finish on the old one. All servers switch at once; if one fails, those that switched go
 * back before the step fails. Undo (a failed verification or validation) switches every server
 * back while the old colour still runs.
 */
public final class SwitchTraffic implements Reversible<DeployContext> {
    @Override
    public String name() {
        return "SwitchTraffic";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        // the target started below the serving colour (start_priority: low) so that its start-up did
        // not slow the live version; from now on it is the live version
        TargetPriority.raise(ctx);
        // all hosts at once, so they disagree for as short a time as possible
        List<Server> switched = new CopyOnWriteArrayList<>();
        Map<String, RuntimeException> failed = new ConcurrentHashMap<>();
        Server.onEach(ctx.servers(), s -> {
            try {
                s.router().switchTo(ctx.target());
                ctx.log().line(s.name() + ": router now sends traffic to " + ctx.target());
                switched.add(s);
            } catch (RuntimeException e) {
                failed.put(s.name(), e);
            }
        });
        if (!switched.isEmpty()) {
            ctx.trafficMoved(true);
        }
        if (!failed.isEmpty()) {
            if (ctx.active() != null && !switched.isEmpty()) {
                Server.onEach(switched, back -> back(ctx, back));
            }
            ctx.trafficMoved(false);
            Server first = ctx.servers().stream().filter(s -> failed.containsKey(s.name())).findFirst().orElseThrow();
            RuntimeException e = failed.get(first.name());
            throw ctx.servers().size() > 1 ? new BatonException(ExitCode.FAILED, first.name() + ": " + e.getMessage()
                    + (switched.isEmpty() ? "" : "\n  the hosts already switched went back to " + ctx.active()), e) : e;
        }
        String where = ctx.servers().size() > 1 ? " on " + ctx.servers().size() + " hosts"
                : " at " + ctx.first().router().publicUri();
        return StepResult.done((ctx.active() == null ? "" : ctx.active() + " → ") + ctx.target() + where);
    }

    @Override
    public String undo(DeployContext ctx) {
        if (ctx.active() == null) {
            ctx.log().line("SwitchTraffic: first deploy, no colour to switch back to");
            return "";
        }
        // never point traffic at a colour that does not serve: if the old one is gone (stopped by
        // an interrupted drain, crashed), this undo fails and the new colour keeps serving
        List<String> gone = ColourHealth.problems(ctx.established(), ColourHealth.of(ctx.before(), ctx.config().services().values(),
                ctx.active()), ctx.active());
        if (!gone.isEmpty()) {
            throw new BatonException(ExitCode.FAILED, "cannot switch back to " + ctx.active() + ": " + String.join("; ", gone)
                    + "; traffic stays on " + ctx.target());
        }
        for (Server s : ctx.servers()) {
            back(ctx, s);
        }
        return "";
    }

    /** A server back where it was: the old colour, or, one just added, serving nothing. */
    private static void back(DeployContext ctx, Server s) {
        if (ctx.newServers().contains(s.name())) {
            s.router().stopServing();
            ctx.log().line(s.name() + ": serves nothing again (a new server)");
        } else {
            s.router().switchTo(ctx.active());
            ctx.log().line(s.name() + ": switched back to " + ctx.active());
        }
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        List<String> notes = new ArrayList<>();
        List<StepPlan.Planned> commands = new ArrayList<>();
        notes.add((ctx.active() == null ? "" : ctx.active() + " → ") + ctx.target() + " at " + ctx.first().router().publicUri()
                + (ctx.servers().size() > 1 ? " on " + ctx.servers().size() + " hosts at once (the switched ones go back if one fails)" : ""));
        for (Server s : ctx.servers()) {
            if (ctx.config().services().values().stream().anyMatch(ServiceSpec::startLow)) {
                notes.add(s.name() + ": first raises " + ctx.target() + " to normal CPU priority (it started low: start_priority)");
            }
            notes.add(s.router().describeSwitch(ctx.target()));
            s.router().switchCommands(ctx.target()).forEach(c -> commands.add(StepPlan.Planned.of(s.name(), c)));
        }
        return StepPlan.runs(name(), notes, commands);
    }
}
