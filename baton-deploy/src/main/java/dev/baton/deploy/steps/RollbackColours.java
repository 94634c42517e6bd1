package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.state.ColourRun;
import java.util.List;

/** The first step of a rollback: the active colour gives way to the one before it. */
public final class RollbackColours implements Step<DeployContext> {
    private final boolean force;

    public RollbackColours() {
        this(false);
    }

    /** @param force go back even when contract revisions ran since the previous colour was deployed */
    public RollbackColours(boolean force) {
        this.force = force;
    }

    @Override
    public String name() {
        return "RollbackColours";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        String active = ctx.before().active();
        String previous = ctx.before().previous();
        if (active == null || previous == null) { // said before any router is started: nothing is left running
            throw BatonException.state("nothing to roll back to: " + (active == null ? "no deploy has succeeded yet"
                    : "the last deploy was the first (" + active + ")"));
        }
        if (!force && ctx.migrator().isPresent()) {
            List<String> heads = ctx.before().colour(previous).map(ColourRun::revision).filter(r -> !r.isBlank())
                    .map(r -> List.of(r.split(","))).orElse(List.of());
            List<String> contracted = List.of();
            try {
                contracted = heads.isEmpty() ? List.of() : ctx.migrator().get().contractedSince(heads);
            } catch (BatonException e) { // a rollback must not depend on the database answering
                ctx.log().line("RollbackColours: could not check for contract revisions (" + e.getMessage() + "); going on");
            }
            if (!contracted.isEmpty()) {
                throw BatonException.state("not rolling back to " + previous + ": contract revision(s) " + contracted
                        + " ran after it was deployed (at " + String.join(",", heads) + ") and removed what it may use,"
                        + " so it cannot run on this schema. Deploy a fix forward, or pass --force if you know it does not"
                        + " use what they removed");
            }
        }
        Server.onEach(ctx.servers(), s -> s.router().ensureRunning());
        String routed = ctx.first().router().active();
        ctx.colours(routed, previous);
        ctx.targetAsRecorded(); // the older version: checked on its own paths, not ones added to baton.yml since
        if (previous.equals(routed)) {
            throw BatonException.state("the router serves " + previous + " already; nothing to roll back");
        }
        MovedPorts.refuseRenamed(routed, ctx.config().colours(), "serves");
        MovedPorts.refuseRenamed(previous, ctx.config().colours(), "was the one before");
        MovedPorts.refuse(ctx.before(), ctx.config().services().values(), routed, "serves");
        return StepResult.done(routed + " → " + previous);
    }
}
