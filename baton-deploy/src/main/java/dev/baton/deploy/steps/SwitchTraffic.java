package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Step;

/**
 * Reference step 11: new requests go to the target colour at once; requests in flight finish on
 * the old one. Undo (a failed verification or validation) switches back while the old colour
 * still runs.
 */
public final class SwitchTraffic implements Step<DeployContext> {
    @Override
    public String name() {
        return "SwitchTraffic";
    }

    @Override
    public String run(DeployContext ctx) {
        ctx.router().switchTo(ctx.target());
        ctx.trafficMoved(true);
        return (ctx.active() == null ? "" : ctx.active() + " → ") + ctx.target() + " at " + ctx.router().publicUri();
    }

    @Override
    public void undo(DeployContext ctx) {
        if (ctx.active() == null) {
            ctx.log().line("SwitchTraffic: first deploy, no colour to switch back to");
            return;
        }
        ctx.router().switchTo(ctx.active());
        ctx.switchedBack(true);
    }
}
