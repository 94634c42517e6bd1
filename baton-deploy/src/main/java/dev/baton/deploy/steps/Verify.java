package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Step;
import java.util.List;

/** Reference step 12: the schema is at the release's head and the expected tables exist. */
public final class Verify implements Step<DeployContext> {
    @Override
    public String name() {
        return "Verify";
    }

    @Override
    public String run(DeployContext ctx) {
        if (ctx.migrator() == null) {
            return SKIPPED;
        }
        List<String> problems = ctx.migrator().verify();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("schema check failed: " + String.join("; ", problems));
        }
        List<String> now = ctx.migrator().current();
        return now == null ? "ok" : "at " + (now.isEmpty() ? "(empty)" : String.join(",", now))
                + (ctx.config().migrations().verifyTables().isEmpty() ? ""
                : ", tables " + String.join(", ", ctx.config().migrations().verifyTables()));
    }
}
