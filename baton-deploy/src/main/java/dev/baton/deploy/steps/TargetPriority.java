package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import java.time.Duration;
import java.util.Optional;

/**
 * The target's way back from {@code start_priority: low} to normal CPU priority: at the switch,
 * when it becomes the live version, or earlier when the low start costs the deploy itself. On a
 * machine whose CPU other work keeps busy, a colour at a tenth of the weight may not become healthy
 * (or finish its warm-up) within its deadline: once half of it has passed, it gets the other half
 * at normal priority rather than fail the deploy.
 */
final class TargetPriority {
    private TargetPriority() {}

    /** Raises every service of the target on every server; a failure is logged, not fatal: it serves either way. */
    static void raise(DeployContext ctx) {
        if (!startsLow(ctx) || !ctx.raiseTarget()) {
            return;
        }
        Server.onEach(ctx.servers(), s -> {
            for (ServiceSpec svc : ctx.config().services().values()) {
                try {
                    s.runtime().raisePriority(svc, ctx.target());
                } catch (RuntimeException e) {
                    ctx.log().line(s.name() + ": " + BatonException.describe(e) + "; it serves at the lower priority");
                }
            }
        });
    }

    /**
     * Raises the target now if half of {@code deadline}, counted from {@code startNanos}, has passed;
     * returns what to add to the step's detail when this call raised it.
     */
    static Optional<String> raiseIfSlow(DeployContext ctx, long startNanos, Duration deadline, String what) {
        long waited = System.nanoTime() - startNanos;
        if (waited < deadline.toNanos() / 2 || !startsLow(ctx) || ctx.targetRaised()) {
            return Optional.empty();
        }
        synchronized (ctx) {
            if (ctx.targetRaised()) {
                return Optional.empty();
            }
            String note = "raised " + ctx.target() + " to normal CPU priority after " + Duration.ofNanos(waited).toSeconds()
                    + " s, half of " + what + ": at start_priority: low it was too slow on this busy machine";
            ctx.log().line(note);
            raise(ctx);
            return Optional.of(note);
        }
    }

    private static boolean startsLow(DeployContext ctx) {
        return ctx.config().services().values().stream().anyMatch(ServiceSpec::startLow);
    }
}
