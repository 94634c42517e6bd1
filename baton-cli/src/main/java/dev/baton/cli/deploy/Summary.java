package dev.baton.cli.deploy;

import dev.baton.deploy.DeployOutcome;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployEvent;
import dev.baton.deploy.port.Outcome;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/** The block at the end of a deploy or rollback, as the reference pipeline prints it, and its JSON twin. */
final class Summary {
    private Summary() {}

    static void print(PrintWriter err, DeployConfig cfg, DeployOutcome o, String kind) {
        err.println();
        boolean deployedWithFailures = o.outcome() == Outcome.DEPLOYED_WITH_FAILURES;
        if (o.ok() || deployedWithFailures) {
            err.println((kind.equals("deploy") ? "Deployed " : "Rolled back ") + cfg.app() + " in " + seconds(o) + " s"
                    + (deployedWithFailures ? "; " + o.result().failedStep() + " FAILED (nothing is undone: the new version serves):" : ""));
            if (deployedWithFailures) {
                for (String line : String.valueOf(o.result().error().getMessage()).split("\n")) {
                    err.println("  " + line);
                }
            }
            err.println("  Colours:    " + (o.from() == null ? "(none)" : o.from().toUpperCase(Locale.ROOT)) + " → "
                    + o.to().toUpperCase(Locale.ROOT));
            err.println("  Release:    " + o.release());
            err.println("  Commit:     " + (o.state().commit() == null ? "(not a git checkout)" : o.state().commit()));
            for (ServiceSpec s : cfg.services().values()) {
                err.println(String.format("  %-11s %d", s.name() + " port:", s.port(o.to())));
            }
            err.println("  Migration:  " + (o.state().revision() == null ? "(none)" : o.state().revision()));
            err.println("  URL:        " + cfg.router().listenUri());
            err.println("  Log:        " + o.log());
        } else {
            String failed = o.result().failedStep();
            err.println((kind.equals("deploy") ? "Deploy" : "Rollback") + " of " + cfg.app()
                    + (o.outcome() == Outcome.REFUSED ? " REFUSED at " : " FAILED at ") + failed
                    + " after " + seconds(o) + " s:");
            String msg = o.result().error() == null ? "" : String.valueOf(o.result().error().getMessage());
            for (String line : msg.split("\n")) {
                err.println("  " + line);
            }
            if (o.outcome() == Outcome.REFUSED) {
                err.println("  Refused: nothing was started or changed, and nobody was notified.");
            } else if (o.result().rolledBack()) {
                // what served before, from the state (the deploy may have failed before it looked at the router)
                String serving = o.state().active() == null ? "nothing (never deployed)" : o.state().active();
                List<String> kept = o.result().events().stream().filter(e -> e.kind() == DeployEvent.Kind.UNDONE && !e.detail().isEmpty())
                        .map(e -> e.step() + ": " + e.detail()).toList();
                err.println("  Rolled back: traffic stays on " + serving + "; the steps done were undone"
                        + (kept.isEmpty() ? "." : ", but " + String.join("; ", kept) + "."));
            } else if (o.result().events().stream().anyMatch(e -> e.kind() == DeployEvent.Kind.UNDO_FAILED)) {
                String failedUndo = o.result().events().stream().filter(e -> e.kind() == DeployEvent.Kind.UNDO_FAILED)
                        .findFirst().map(DeployEvent::step).orElse("");
                err.println("  NOT rolled back: the undo of " + failedUndo + " failed, so the steps before it were left as"
                        + " they are (" + (o.to() == null ? "the new colour" : o.to()) + " keeps running: traffic may be on it).");
                err.println("  Once the cause is fixed, run `baton recover`: it finishes the undo (back to "
                        + (o.from() == null ? "what served before" : o.from()) + "; the next deploy or rollback does it first too)."
                        + " `baton status` shows what is left.");
            } else {
                err.println("  Traffic is on " + (o.state().active() == null ? "(unknown)" : o.state().active())
                        + "; nothing was rolled back.");
            }
            err.println("  Full log:   " + o.log());
        }
        err.flush();
    }

    static Map<String, Object> json(DeployConfig cfg, DeployOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", o.ok());
        m.put("release", o.release());
        m.put("from", o.from());
        m.put("to", o.to());
        m.put("active", o.state().active());
        m.put("revision", o.state().revision());
        m.put("failed_step", o.result().failedStep());
        m.put("error", o.result().error() == null ? null : o.result().error().getMessage());
        m.put("rolled_back", o.outcome() == Outcome.ROLLED_BACK);
        m.put("outcome", o.outcome().word());
        m.put("ms", o.elapsed().toMillis());
        Map<String, Object> steps = new LinkedHashMap<>();
        for (DeployEvent e : o.result().events()) {
            if (e.kind() != DeployEvent.Kind.STARTED && e.kind() != DeployEvent.Kind.UNDONE
                    && e.kind() != DeployEvent.Kind.UNDO_FAILED && e.kind() != DeployEvent.Kind.NOT_UNDONE) {
                steps.put(e.step(), e.elapsed().toMillis());
            }
        }
        m.put("step_ms", steps);
        m.put("log", o.log().toString());
        m.put("url", cfg.router().listenUri().toString());
        return m;
    }

    private static String seconds(DeployOutcome o) {
        return String.format("%.1f", o.elapsed().toMillis() / 1000.0);
    }
}
