package dev.baton.deploy.steps;

import dev.baton.deploy.Command;
import dev.baton.deploy.CommandResult;
import dev.baton.deploy.Host;
import dev.baton.deploy.LocalHost;
import dev.baton.deploy.Server;
import dev.baton.deploy.DeployContext;
import dev.baton.deploy.HttpProbe;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.Hook;
import dev.baton.deploy.runtime.DockerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Gates (reference steps 2-3), Build (step 4) and Cleanup (step 14): the user's commands, in
 * order; the first that fails fails the step with its output's tail.
 */
public final class RunHooks implements Step<DeployContext> {
    private static final LocalHost HERE = new LocalHost();
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

    /** Cleanup runs on the server (pruning old releases, images). */
    public static RunHooks cleanup() {
        return new RunHooks("Cleanup", ctx -> ctx.config().cleanup(), true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String run(DeployContext ctx) {
        List<Hook> list = hooks.apply(ctx);
        int pruned = 0;
        if (onServer) {
            for (Server server : ctx.servers()) {
                if (server.runtime() instanceof DockerRuntime docker && docker.prune()) {
                    pruned++;
                }
            }
        }
        if (list.isEmpty()) {
            return pruned == 0 ? SKIPPED : "pruned old images on " + pruned + " host" + (pruned == 1 ? "" : "s");
        }
        for (Hook h : list) {
            if (h.check() != null) {
                HttpProbe.Answer a = HttpProbe.get(h.check().uri(), Duration.ofSeconds(10));
                ctx.log().line(name + " " + h.name() + ": " + a);
                if (!a.ok()) {
                    throw new IllegalStateException(h.name() + ": " + a);
                }
                continue;
            }
            ctx.log().line(name + " " + h.name() + ": $ " + h.command().display());
            List<Host> hosts = onServer ? ctx.servers().stream().map(Server::host).toList() : List.of(HERE);
            for (Host host : hosts) {
                // on a server the config's folder does not exist: commands start in the login folder
                Command command = host instanceof LocalHost ? h.command() : h.command().in(null);
                CommandResult r = host.run(command, line -> ctx.log().line("  " + line));
                if (!r.ok()) {
                    throw new IllegalStateException((hosts.size() > 1 ? host.name() + ": " : "") + h.name() + ": `"
                            + h.command().display() + "` " + (r.timedOut() ? "timed out after "
                            + h.command().timeout().toSeconds() + " s" : "exited with " + r.exitCode())
                            + (r.output().isBlank() ? "" : ":\n" + r.tail(10)));
                }
            }
        }
        return list.size() + (list.size() == 1 ? " command" : " commands") + " passed";
    }
}
