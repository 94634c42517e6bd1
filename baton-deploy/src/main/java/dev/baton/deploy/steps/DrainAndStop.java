package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Server;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.ServiceSpec;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Reference step 13, measured instead of "sleep 5": waits until the router reports no request in
 * flight to the old colour (bounded by deadlines.drain), then stops it. After this there is
 * nothing to switch back to, so it finalizes the deploy.
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
    public String run(DeployContext ctx) {
        if (ctx.active() == null) {
            return SKIPPED;
        }
        long start = System.nanoTime();
        long deadline = start + ctx.config().deadlines().drain().toNanos();
        java.util.Map<String, String> outcome = new java.util.concurrent.ConcurrentHashMap<>();
        Server.onEach(ctx.servers(), server -> {
            int inFlight;
            while ((inFlight = server.router().inFlight(ctx.active())) > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            long drainedMs = (System.nanoTime() - start) / 1_000_000;
            if (inFlight > 0) {
                ctx.log().line(server.name() + ": drain deadline passed with " + inFlight + " still in flight to " + ctx.active());
            }
            for (ServiceSpec s : ctx.config().services().values()) {
                server.runtime().stop(s, ctx.active());
            }
            outcome.put(server.name(), (inFlight > 0 ? "deadline passed with " + inFlight + " in flight after " : "drained in ")
                    + drainedMs + " ms");
        });
        String detail = ctx.servers().size() == 1 ? outcome.values().iterator().next()
                : String.join(", ", ctx.servers().stream().map(s -> s.name() + " " + outcome.get(s.name())).toList());
        return detail + "; stopped " + ctx.active();
    }
}
