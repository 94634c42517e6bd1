package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.HttpProbe;
import dev.baton.deploy.Server;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.ServiceSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

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
    public String run(DeployContext ctx) {
        Map<URI, Check> pending = new LinkedHashMap<>();
        for (Server server : ctx.servers()) {
            for (ServiceSpec s : ctx.config().services().values()) {
                for (String path : s.health()) {
                    pending.put(server.host().reach(server.bind(), s.port(ctx.target())).resolve(path),
                            new Check(server, s));
                }
            }
        }
        if (pending.isEmpty()) {
            return SKIPPED;
        }
        int total = pending.size();
        int hosts = ctx.servers().size();
        Map<URI, HttpProbe.Answer> last = new LinkedHashMap<>();
        long deadline = System.nanoTime() + ctx.config().deadlines().health().toNanos();
        for (int round = 0; ; round++) {
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
                return total + " endpoint" + (total == 1 ? "" : "s") + " healthy on " + ctx.target()
                        + (hosts > 1 ? " (" + hosts + " hosts)" : "");
            }
            // whether the process still runs costs a command (an SSH round trip on a server): every 10th round
            for (Check c : round % 10 == 9 ? new java.util.LinkedHashSet<>(pending.values()) : java.util.Set.<Check>of()) {
                if (!c.server().runtime().running(c.service(), ctx.target())) {
                    throw failure(ctx, c, "exited before it was healthy", pending, last);
                }
            }
            if (System.nanoTime() > deadline) {
                throw failure(ctx, pending.values().iterator().next(), "not healthy within "
                        + ctx.config().deadlines().health().toSeconds() + " s (deadlines.health)", pending, last);
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted (Ctrl-C or SIGTERM) while waiting");
            }
        }
    }

    private record Check(Server server, ServiceSpec service) {}

    private static IllegalStateException failure(DeployContext ctx, Check c, String what, Map<URI, Check> pending,
                                                 Map<URI, HttpProbe.Answer> last) {
        ServiceSpec s = c.service();
        StringBuilder msg = new StringBuilder((ctx.servers().size() > 1 ? c.server().name() + ": " : "") + s.name() + " "
                + ctx.target() + " " + what + "; last answers:");
        for (URI u : pending.keySet()) {
            msg.append("\n    ").append(last.get(u));
        }
        appendLogTail(msg, c.server(), s, ctx.target());
        return new IllegalStateException(msg.toString());
    }

    /** The service's last log lines, for a failure message. */
    static void appendLogTail(StringBuilder msg, Server server, ServiceSpec s, String colour) {
        Path log = server.runtime().log(s, colour);
        msg.append("\n  last lines of ").append(log).append(":");
        for (String line : server.runtime().logTail(s, colour, 10)) {
            msg.append("\n    ").append(line);
        }
    }

}
