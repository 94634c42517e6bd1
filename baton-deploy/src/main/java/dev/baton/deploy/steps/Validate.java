package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.HttpProbe;
import dev.baton.deploy.Server;
import dev.baton.deploy.Step;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Reference step 15, moved before the old colour stops: the public URLs answer 2xx through the
 * router. Failing here switches traffic back (SwitchTraffic's undo) while the old colour runs.
 */
public final class Validate implements Step<DeployContext> {
    @Override
    public String name() {
        return "Validate";
    }

    @Override
    public String run(DeployContext ctx) {
        List<String> paths = ctx.config().validate();
        if (paths.isEmpty()) {
            return SKIPPED;
        }
        long deadline = System.nanoTime() + ctx.config().deadlines().validate().toNanos();
        List<HttpProbe.Answer> failing = new ArrayList<>();
        for (Server server : ctx.servers()) {
          URI pub = server.router().publicUri();
          URI base = server.host().reach(pub.getHost().replace("[", "").replace("]", ""), pub.getPort());
          for (String path : paths) {
            while (true) {
                HttpProbe.Answer a = HttpProbe.get(base.resolve(path), Duration.ofSeconds(5));
                ctx.log().line("validate: " + a);
                if (a.ok()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    failing.add(a);
                    break;
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted (Ctrl-C or SIGTERM) while waiting");
            }
            }
          }
        }
        if (!failing.isEmpty()) {
            StringBuilder msg = new StringBuilder("public URLs failed through the router:");
            failing.forEach(a -> msg.append("\n    ").append(a));
            throw new IllegalStateException(msg.toString());
        }
        return paths.size() + " URL" + (paths.size() == 1 ? "" : "s") + " answer through "
                + (ctx.servers().size() > 1 ? ctx.servers().size() + " routers" : ctx.first().router().publicUri().toString());
    }
}
