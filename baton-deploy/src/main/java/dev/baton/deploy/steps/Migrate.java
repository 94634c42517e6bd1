package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Step;

/**
 * Reference step 10: the shared schema is brought to the new version's head while the old
 * colour still serves. A failing revision is rolled back by its transaction; if a later step
 * fails before traffic moves, undo reverts to the revision the deploy started from. Once traffic
 * has reached the new version the schema stays: the new version may have written to it.
 */
public final class Migrate implements Step<DeployContext> {
    @Override
    public String name() {
        return "Migrate";
    }

    @Override
    public String run(DeployContext ctx) {
        if (ctx.migrator() == null) {
            return SKIPPED;
        }
        ctx.revisionBefore(ctx.migrator().current());
        String detail = ctx.migrator().upgrade(ctx.target());
        ctx.migrationDetail(detail);
        return detail;
    }

    @Override
    public void undo(DeployContext ctx) {
        if (ctx.trafficMoved()) {
            ctx.log().line("Migrate: traffic reached " + ctx.target() + ", so the schema is kept as migrated");
            return;
        }
        if (ctx.revisionBefore() != null && ctx.revisionBefore().equals(ctx.migrator().current())) {
            return;
        }
        ctx.migrator().revertTo(ctx.revisionBefore());
    }
}
