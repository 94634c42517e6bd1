package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Reversible;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.state.ColourRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * For a rollback: starts, on every server, the services of the colour going back into service
 * that are not running, with the image and command that colour last ran (from state.json), not
 * today's baton.yml. A port of it that something else listens on refuses the rollback before
 * anything starts, naming what holds it.
 */
public final class StartIfStopped implements Reversible<DeployContext> {
    private record Started(Server server, ServiceSpec service) {}

    private final List<Started> started = new CopyOnWriteArrayList<>();
    private final boolean currentEnv;

    public StartIfStopped() {
        this(false);
    }

    /** @param currentEnv start the colour with today's environment where it differs from what it ran with */
    public StartIfStopped(boolean currentEnv) {
        this.currentEnv = currentEnv;
    }

    @Override
    public String name() {
        return "StartIfStopped";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        Optional<ColourRun> ran = ctx.before().colour(ctx.target());
        List<Started> stopped = new CopyOnWriteArrayList<>();
        List<String> movedWhileRunning = new CopyOnWriteArrayList<>();
        Server.onEach(ctx.servers(), server -> {
            for (ServiceSpec today : ctx.config().services().values()) {
                ServiceSpec s = ran.map(r -> r.restore(today)).orElse(today);
                if (!server.runtime().running(s, ctx.target())) {
                    refuseUnset(s, ran.isPresent());
                    stopped.add(new Started(server, s));
                } else {
                    movedWhileRunning.add(s.name()); // started again on today's ports, it may move; running, it may not
                }
            }
        });
        List<String> changed = stopped.isEmpty() ? List.of() : ran.map(r -> r.envChanges(ctx.config().services().values())).orElse(List.of());
        if (!changed.isEmpty()) {
            String was = ctx.target() + " last ran with another environment than baton.yml gives it today: "
                    + String.join(", ", changed) + " differs";
            if (!currentEnv) { // started with today's, it would serve as another version than the one rolled back to
                throw BatonException.usage(was + ". Baton keeps no values (they may be secrets), only tags of them, so it cannot"
                        + " start " + ctx.target() + " as it ran: set the variables they read (${...} in baton.yml) as they were when " + ctx.target()
                        + " was deployed (" + ran.get().label() + "), or pass --current-env to start it with today's environment");
            }
            ctx.log().line(was + "; started with today's (--current-env)");
        }
        MovedPorts.refuse(ctx.before(), ctx.config().services().values().stream()
                .filter(s -> movedWhileRunning.contains(s.name())).toList(), ctx.target(), "runs");
        TakenPorts.refuse(ctx, (server, s) -> stopped.stream().anyMatch(t -> t.server() == server && t.service().name().equals(s.name())));
        if (!stopped.isEmpty()) {
            ctx.startsTarget(true); // in the journal before anything starts: a recovery then stops what this started
        }
        Server.onEach(ctx.servers(), server -> {
            for (Started s : stopped) {
                if (s.server() == server) {
                    server.runtime().start(s.service(), ctx.target());
                    started.add(s);
                }
            }
        });
        String what = ran.map(r -> " (" + r.label() + (changed.isEmpty() ? "" : "; today's environment") + ")").orElse("");
        return StepResult.done(started.isEmpty() ? ctx.target() + " still runs" : "started " + started.size() + " on " + ctx.target() + what);
    }

    /**
     * A rollback reads baton.yml without a deploy's variables; a service it must start still needs
     * those of its environment (never stored), and of its image and command when state.json has no
     * record of them (a colour deployed before Baton recorded it).
     */
    public static void refuseUnset(ServiceSpec s, boolean recorded) {
        List<String> unset = new ArrayList<>();
        s.env().forEach((k, v) -> {
            if (v.contains("${")) {
                unset.add("services." + s.name() + ".env." + k + " (" + v + ")");
            }
        });
        if (!recorded && s.image() != null && s.image().contains("${")) {
            unset.add("services." + s.name() + ".image (" + s.image() + ")");
        }
        if (!recorded && s.argv().stream().anyMatch(a -> a.contains("${"))) {
            unset.add("services." + s.name() + ".command");
        }
        if (!unset.isEmpty()) {
            throw BatonException.usage("to start " + s.name() + " again, set the environment variables of "
                    + String.join(", ", unset) + " as for a deploy");
        }
    }

    @Override
    public String undo(DeployContext ctx) {
        for (Started s : started) {
            s.server().runtime().stop(s.service(), ctx.target());
        }
        return "";
    }
}
