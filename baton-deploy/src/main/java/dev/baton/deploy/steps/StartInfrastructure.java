package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.AccessorySpec;
import dev.baton.deploy.config.Check;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.probe.HttpProbe;
import dev.baton.deploy.probe.TcpProbe;
import dev.baton.wait.Wait;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reference step 6: every accessory (PostgreSQL, Redis...) passes its check; one that does not
 * is started with its start command on its host (the first host unless it names one), then
 * polled until it passes or its deadline. Every check runs as seen from the accessory's host: a
 * {@code tcp:} or {@code http:} check of a loopback address on a server goes through that server.
 * Accessories are shared by both colours, so a failed deploy leaves them running.
 */
public final class StartInfrastructure implements Step<DeployContext> {
    private static final Duration POLL = Duration.ofMillis(200);

    @Override
    public String name() {
        return "StartInfrastructure";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        if (ctx.config().accessories().isEmpty()) {
            return StepResult.skipped();
        }
        List<String> started = new ArrayList<>();
        for (AccessorySpec a : ctx.config().accessories().values()) {
            Host host = ctx.servers().stream().filter(s -> s.name().equals(a.host())).map(Server::host).findFirst()
                    .orElse(ctx.first().host());
            Optional<String> why = check(host, ctx, a.check());
            if (why.isEmpty()) {
                continue;
            }
            if (a.start().isEmpty()) {
                throw new BatonException(ExitCode.FAILED, "accessory " + a.name() + " is down (" + a.check().describe() + ": "
                        + why.get() + ") and has no start command; start it, or add accessories." + a.name() + ".start");
            }
            ctx.log().line("accessory " + a.name() + " is down (" + why.get() + "); starting it");
            Command start = new Command(a.start(), Map.of(), host.commandFolder(ctx.config().dir()), Duration.ofMinutes(5));
            CommandResult r = host.run(start, line -> ctx.log().line("  " + line));
            if (!r.ok()) {
                throw new BatonException(ExitCode.FAILED, "accessory " + a.name() + ": `" + start.display() + "` exited with "
                        + r.exitCode() + ":\n" + r.tail(10));
            }
            Duration deadline = ctx.config().deadlines().accessory();
            try {
                Wait.of("accessory " + a.name(), deadline, POLL).until(() -> check(host, ctx, a.check()));
            } catch (Wait.TimedOut e) {
                throw new BatonException(ExitCode.FAILED, "accessory " + a.name() + " was started but " + a.check().describe()
                        + " still fails after " + deadline.toSeconds() + " s (deadlines.accessory): " + e.lastReason());
            }
            started.add(a.name());
        }
        int n = ctx.config().accessories().size();
        return StepResult.done(started.isEmpty() ? n + " healthy" : "started " + String.join(", ", started) + "; " + n + " healthy");
    }

    /** Empty when healthy, else why not; as seen from {@code host}. */
    static Optional<String> check(Host host, DeployContext ctx, Check check) {
        if (check instanceof Check.Tcp tcp) {
            URI reached = host.reach(tcp.host(), tcp.port());
            return TcpProbe.connect(reached.getHost(), reached.getPort(), Duration.ofSeconds(2))
                    .map(why -> why + (reached.getPort() == tcp.port() ? "" : " (through " + host.name() + ")"));
        }
        if (check instanceof Check.Http http) {
            HttpProbe.Answer a = HttpProbe.get(host.reach(http.uri()), Duration.ofSeconds(5));
            return a.ok() ? Optional.empty() : Optional.of(a.toString());
        }
        Check.Exec exec = (Check.Exec) check;
        CommandResult r = host.run(new Command(exec.argv(), Map.of(), host.commandFolder(ctx.config().dir()), Duration.ofSeconds(30)));
        return r.ok() ? Optional.empty() : Optional.of("exit " + r.exitCode() + " " + r.tail(3));
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        if (ctx.config().accessories().isEmpty()) {
            return StepPlan.skipped(name(), "no accessories in baton.yml");
        }
        List<String> notes = new ArrayList<>();
        List<StepPlan.Planned> commands = new ArrayList<>();
        for (AccessorySpec a : ctx.config().accessories().values()) {
            Host host = ctx.servers().stream().filter(s -> s.name().equals(a.host())).map(Server::host).findFirst()
                    .orElse(ctx.first().host());
            notes.add(a.name() + ": checked by " + a.check().describe() + " from " + host.name() + (a.start().isEmpty()
                    ? "; if it fails the deploy stops (no start command)" : "; started only if that fails"));
            if (!a.start().isEmpty()) {
                commands.add(StepPlan.Planned.of(host.name(), new Command(a.start(), Map.of(), host.commandFolder(ctx.config().dir()),
                        Duration.ofMinutes(5))));
            }
        }
        return StepPlan.runs(name(), notes, commands);
    }
}
