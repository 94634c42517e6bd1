package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.Hook;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.probe.HttpProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Gates (reference steps 2-3), Build (step 4) and Cleanup (step 14): the user's commands, in
 * order; the first that fails fails the step with its output's tail.
 */
public final class RunHooks implements Step<DeployContext> {
    private final String name;
    private final Function<DeployContext, List<Hook>> hooks;
    private final boolean onServer;

    private RunHooks(String name, Function<DeployContext, List<Hook>> hooks, boolean onServer) {
        this.name = name;
        this.hooks = hooks;
        this.onServer = onServer;
    }

    /** Gates run where Baton runs (tests, scans, checks of other systems). */
    public static RunHooks gates() {
        return new RunHooks("Gates", ctx -> ctx.config().gates(), false);
    }

    /** Build runs where Baton runs, as Kamal builds before it ships. */
    public static RunHooks build() {
        return new RunHooks("Build", ctx -> ctx.config().build(), false);
    }

    /** Cleanup runs on the servers (pruning old releases, images); their runtimes prune first. */
    public static RunHooks cleanup() {
        return new RunHooks("Cleanup", ctx -> ctx.config().cleanup(), true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StepResult run(DeployContext ctx) {
        List<Hook> list = hooks.apply(ctx);
        int pruned = 0;
        if (onServer) {
            for (Server server : ctx.servers()) {
                if (server.runtime().prune()) {
                    pruned++;
                }
            }
        }
        if (list.isEmpty()) {
            return pruned == 0 ? StepResult.skipped()
                    : StepResult.done("pruned old images on " + pruned + " host" + (pruned == 1 ? "" : "s"));
        }
        List<Host> hosts = onServer ? ctx.servers().stream().map(Server::host).toList() : List.of(ctx.here());
        for (Hook h : list) {
            if (h.check() != null) {
                HttpProbe.Answer a = HttpProbe.get(h.check().uri(), Duration.ofSeconds(10));
                ctx.log().line(name + " " + h.name() + ": " + a);
                if (!a.ok()) {
                    throw new BatonException(ExitCode.FAILED, h.name() + ": " + a);
                }
                continue;
            }
            for (Host host : hosts) {
                // on a server the config's folder does not exist: commands start in the login folder
                Command command = new Command(h.argv(), Map.of(), host.commandFolder(h.dir()), h.timeout());
                ctx.log().line(name + " " + h.name() + ": $ " + command.display());
                CommandResult r = host.run(command, line -> ctx.log().line("  " + line));
                if (!r.ok()) {
                    throw new BatonException(ExitCode.FAILED, (hosts.size() > 1 ? host.name() + ": " : "") + h.name()
                            + ": `" + command.display() + "` " + (r.timedOut() ? "timed out after "
                            + h.timeout().toSeconds() + " s" : "exited with " + r.exitCode())
                            + (r.output().isBlank() ? "" : ":\n" + r.tail(10)));
                }
            }
        }
        return StepResult.done(list.size() + (list.size() == 1 ? " command" : " commands") + " passed");
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        List<Hook> list = hooks.apply(ctx);
        List<String> notes = new ArrayList<>();
        List<StepPlan.Planned> commands = new ArrayList<>();
        if (onServer && ctx.config().docker() != null && ctx.config().docker().pruneUntil() != null) {
            notes.add("prunes unused images older than " + ctx.config().docker().pruneUntil() + " on every host");
        }
        List<Host> hosts = onServer ? ctx.servers().stream().map(Server::host).toList() : List.of(ctx.here());
        for (Hook h : list) {
            if (h.check() != null) {
                notes.add(h.name() + ": GET " + h.check().uri() + " must answer 2xx");
                continue;
            }
            notes.add(h.name() + " (timeout " + h.timeout().toSeconds() + " s) must exit 0");
            for (Host host : hosts) {
                commands.add(StepPlan.Planned.of(host.name(), new Command(h.argv(), Map.of(), host.commandFolder(h.dir()), h.timeout())));
            }
        }
        return notes.isEmpty() ? StepPlan.skipped(name, "no " + name.toLowerCase(Locale.ROOT) + " in baton.yml")
                : StepPlan.runs(name, notes, commands);
    }
}
