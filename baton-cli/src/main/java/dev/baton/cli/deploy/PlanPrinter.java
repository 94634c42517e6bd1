package dev.baton.cli.deploy;

import dev.baton.Secrets;
import dev.baton.deploy.DeployPlan;
import dev.baton.deploy.pipeline.StepPlan;

/** {@code baton deploy --plan} for people: each step, what it would do, and the commands, where. */
final class PlanPrinter {
    private PlanPrinter() {}

    static String text(DeployPlan p, String versionSource) {
        StringBuilder out = new StringBuilder();
        out.append("Plan: deploy ").append(p.app()).append(' ').append(p.version()).append(" (version from ").append(versionSource)
                .append(") with ").append(p.config()).append('\n');
        out.append(p.active() == null ? "Nothing serves yet" : p.active() + " serves").append("; ").append(p.target())
                .append(" would be started. Nothing has been changed.\n");
        p.notes().forEach(n -> out.append("Note: ").append(n).append('\n'));
        out.append('\n');
        int i = 1;
        for (StepPlan s : p.steps()) {
            String head = String.format("%2d. %-20s ", i++, s.step());
            String indent = " ".repeat(head.length());
            if (!s.runs()) {
                out.append(head).append("skipped: ").append(s.notes().isEmpty() ? "" : s.notes().get(0)).append('\n');
                continue;
            }
            if (s.notes().isEmpty()) {
                out.append(head).append("runs\n");
            }
            for (int n = 0; n < s.notes().size(); n++) {
                out.append(n == 0 ? head : indent).append(Secrets.redact(s.notes().get(n))).append('\n');
            }
            for (StepPlan.Planned c : s.commands()) {
                out.append(indent).append(c.display()).append('\n');
            }
        }
        return out.toString();
    }
}
