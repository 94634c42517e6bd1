package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.probe.HttpProbe;
import dev.baton.deploy.probe.PortProbe;
import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reference step 8, without the fixed sleep: polls every health endpoint of the target colour
 * until all answer 2xx, failing at once if a service's process exits and otherwise at the
 * deadline, with the last answers and the tail of the service's log.
 */
public final class AwaitHealthy implements Step<DeployContext> {
    private static final Duration POLL = Duration.ofMillis(50);

    @Override
    public String name() {
        return "AwaitHealthy";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        Map<URI, Check> pending = new LinkedHashMap<>();
        for (Server server : ctx.servers()) {
            for (ServiceSpec s : ctx.targetServices()) {
                for (String path : s.health()) {
                    pending.put(server.host().reach(server.bind(), s.port(ctx.target())).resolve(path),
                            new Check(server, s));
                }
            }
        }
        if (pending.isEmpty()) {
            return StepResult.skipped();
        }
        int total = pending.size();
        int hosts = ctx.servers().size();
        Map<URI, HttpProbe.Answer> last = new LinkedHashMap<>();
        int[] round = {0};
        Duration deadline = ctx.config().deadlines().health();
        long start = System.nanoTime();
        List<String> raised = new ArrayList<>();
        try {
            Wait.of("health of " + ctx.target(), deadline, POLL).until(() -> {
                TargetPriority.raiseIfSlow(ctx, start, deadline, "deadlines.health").ifPresent(raised::add);
                for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    HttpProbe.Answer a = HttpProbe.get(e.getKey(), Duration.ofSeconds(2));
                    last.put(e.getKey(), a);
                    if (a.ok()) {
                        ctx.log().line("healthy: " + a);
                        it.remove();
                    }
                }
                if (pending.isEmpty()) {
                    return Probe.ok();
                }
                // whether the process still runs costs a command (an SSH round trip on a server): every 10th round
                if (++round[0] % 10 == 0) {
                    for (Check c : new LinkedHashSet<>(pending.values())) {
                        if (!c.server().runtime().running(c.service(), ctx.target())) {
                            throw failure(ctx, c, "exited before it was healthy", pending, last);
                        }
                    }
                }
                return Probe.notYet(pending.size() + " endpoints not healthy");
            });
        } catch (Wait.TimedOut e) {
            throw failure(ctx, pending.values().iterator().next(), "not healthy within " + deadline.toSeconds()
                    + " s (deadlines.health)", pending, last);
        }
        refuseForeignListeners(ctx);
        return StepResult.done(total + " endpoint" + (total == 1 ? "" : "s") + " healthy on " + ctx.target()
                + (hosts > 1 ? " (" + hosts + " hosts)" : "") + raised.stream().map(r -> "; " + r).findFirst().orElse(""));
    }

    private record Check(Server server, ServiceSpec service) {}

    /**
     * Health answers count only from what Baton started: where the runtime knows the pid (local
     * processes), whatever listens on the port must be that process or one of its children. A
     * process that took the port between StartTarget's check and the start would otherwise pass
     * the health checks and take the traffic while the new version failed to bind.
     */
    private static void refuseForeignListeners(DeployContext ctx) {
        for (Server server : ctx.servers()) {
            for (ServiceSpec s : ctx.config().services().values()) {
                Optional<Long> pid = server.runtime().pid(s, ctx.target());
                if (pid.isEmpty()) { // containers: the runtime says whether its publication holds the port
                    List<String> problems = server.runtime().listenerProblems(s, ctx.target());
                    if (!problems.isEmpty()) {
                        StringBuilder msg = new StringBuilder("services." + s.name() + "." + ctx.target() + ": port "
                                + s.port(ctx.target()) + " answers, but not from what Baton started: " + String.join("; ", problems));
                        appendLogTail(msg, server, s, ctx.target());
                        throw new BatonException(ExitCode.FAILED, msg.toString());
                    }
                    continue;
                }
                Map<Long, String> listeners = PortProbe.listeners(server.host(), s.port(ctx.target()));
                if (!listeners.isEmpty() && listeners.keySet().stream().noneMatch(l -> startedBy(pid.get(), l))) {
                    StringBuilder msg = new StringBuilder("services." + s.name() + "." + ctx.target() + ": port "
                            + s.port(ctx.target()) + " answers, but not from the process Baton started (pid " + pid.get()
                            + "): " + String.join(", ", listeners.entrySet().stream().map(e -> e.getValue() + " (pid "
                            + e.getKey() + ")").toList()) + " listens there");
                    appendLogTail(msg, server, s, ctx.target());
                    throw new BatonException(ExitCode.FAILED, msg.toString());
                }
            }
        }
    }

    /** Whether {@code listener} is {@code pid} or runs under it. */
    private static boolean startedBy(long pid, long listener) {
        Optional<ProcessHandle> h = ProcessHandle.of(listener);
        while (h.isPresent()) {
            if (h.get().pid() == pid) {
                return true;
            }
            h = h.get().parent();
        }
        return false;
    }

    private static BatonException failure(DeployContext ctx, Check c, String what, Map<URI, Check> pending,
                                                 Map<URI, HttpProbe.Answer> last) {
        ServiceSpec s = c.service();
        StringBuilder msg = new StringBuilder((ctx.servers().size() > 1 ? c.server().name() + ": " : "") + s.name() + " "
                + ctx.target() + " " + what + "; last answers:");
        for (URI u : pending.keySet()) {
            msg.append("\n    ").append(last.get(u));
        }
        appendLogTail(msg, c.server(), s, ctx.target());
        return new BatonException(ExitCode.FAILED, msg.toString());
    }

    /** The service's last log lines, for a failure message. */
    static void appendLogTail(StringBuilder msg, Server server, ServiceSpec s, String colour) {
        Path log = server.runtime().log(s, colour);
        List<String> tail = server.runtime().logTail(s, colour, 10);
        msg.append("\n  last lines of ").append(log).append(":");
        if (tail.isEmpty()) {
            msg.append(" (none: it printed nothing since its start)");
        }
        for (String line : tail) {
            msg.append("\n    ").append(line);
        }
    }


    @Override
    public StepPlan plan(DeployContext ctx) {
        List<String> notes = new ArrayList<>();
        for (Server server : ctx.servers()) {
            for (ServiceSpec s : ctx.targetServices()) {
                for (String path : s.health()) {
                    notes.add(server.name() + ": GET http://" + server.bind() + ":" + s.port(ctx.target()) + path + " until 2xx");
                }
            }
        }
        if (notes.isEmpty()) {
            return StepPlan.skipped(name(), "health: none");
        }
        notes.add("every 50 ms, up to " + ctx.config().deadlines().health().toSeconds() + " s (deadlines.health)"
                + (ctx.config().services().values().stream().anyMatch(ServiceSpec::startLow)
                        ? "; at start_priority: low, raised to normal priority if not healthy by half of it" : ""));
        return StepPlan.runs(name(), notes, List.of());
    }
}
