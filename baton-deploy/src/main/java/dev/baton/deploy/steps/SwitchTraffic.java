package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Server;
import dev.baton.deploy.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference step 11: every server's router sends new requests to the target colour; requests in
 * flight finish on the old one. If one server's switch fails, the servers already switched go
 * back before the step fails. Undo (a failed verification or validation) switches every server
 * back while the old colour still runs.
 */
public final class SwitchTraffic implements Step<DeployContext> {
    @Override
    public String name() {
        return "SwitchTraffic";
    }

    @Override
    public String run(DeployContext ctx) {
        List<Server> switched = new ArrayList<>();
        for (Server s : ctx.servers()) {
            try {
                s.router().switchTo(ctx.target());
                switched.add(s);
                ctx.trafficMoved(true);
            } catch (RuntimeException e) {
                if (ctx.active() != null) {
                    for (Server back : switched) {
                        back.router().switchTo(ctx.active());
                        ctx.log().line(back.name() + ": switched back to " + ctx.active());
                    }
                }
                if (!switched.isEmpty()) {
                    ctx.switchedBack(true);
                }
                ctx.trafficMoved(false);
                throw ctx.servers().size() > 1 ? new IllegalStateException(s.name() + ": " + e.getMessage()
                        + (switched.isEmpty() ? "" : "\n  the hosts already switched went back to " + ctx.active()), e) : e;
            }
        }
        String where = ctx.servers().size() > 1 ? " on " + ctx.servers().size() + " hosts"
                : " at " + ctx.first().router().publicUri();
        return (ctx.active() == null ? "" : ctx.active() + " → ") + ctx.target() + where;
    }

    @Override
    public void undo(DeployContext ctx) {
        if (ctx.active() == null) {
            ctx.log().line("SwitchTraffic: first deploy, no colour to switch back to");
            return;
        }
        for (Server s : ctx.servers()) {
            s.router().switchTo(ctx.active());
        }
        ctx.switchedBack(true);
    }
}
