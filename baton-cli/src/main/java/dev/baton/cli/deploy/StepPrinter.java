package dev.baton.cli.deploy;

import dev.baton.deploy.pipeline.DeployEvent;
import dev.baton.deploy.pipeline.EventSink;
import java.io.PrintWriter;

/**
 * The step list on the console (stderr): a line per step as it finishes, with a tick, cross or
 * dash, its duration and detail; undos are listed under the failure.
 */
final class StepPrinter implements EventSink {
    private final PrintWriter err;
    private final boolean tty;

    StepPrinter(PrintWriter err, boolean tty) {
        this.err = err;
        this.tty = tty;
    }

    @Override
    public void accept(DeployEvent e) {
        switch (e.kind()) {
            case STARTED -> {
                if (tty) {
                    err.print(String.format("  \u2026 %-20s\r", e.step()));
                }
            }
            case PROGRESS -> {
                if (tty) { // a line rewritten in place: on a log file it would be noise
                    err.print(String.format("  \u2026 %-20s %s\u001b[K\r", e.step(), e.detail()));
                }
            }
            case SUCCEEDED -> line("\u2713", e);
            case SKIPPED -> line("-", e);
            case FAILED -> {
                line("\u2717", e);
                // the first line of why; a failed step's whole story is in the summary below
                e.detail().lines().findFirst().ifPresent(l -> err.println("      " + l));
            }
            case UNDONE -> err.println(String.format("    \u21b6 undone %-13s %8s", e.step(), ms(e))
                    + (e.detail().isEmpty() ? "" : "  " + e.detail()));
            case UNDO_FAILED -> err.println("    \u2717 undo of " + e.step() + " failed: " + e.detail());
            case NOT_UNDONE -> err.println("    - not undone " + e.step() + " (" + e.detail() + ")");
        }
        err.flush();
    }

    private void line(String mark, DeployEvent e) {
        String detail = e.detail();
        if (e.kind() == DeployEvent.Kind.FAILED) {
            detail = "";
        }
        int nl = detail.indexOf('\n');
        err.println(String.format("  %s %-20s %8s  %s", mark, e.step(), e.kind() == DeployEvent.Kind.SKIPPED ? "skipped" : ms(e),
                nl < 0 ? detail : detail.substring(0, nl)).stripTrailing());
    }

    static String ms(DeployEvent e) {
        long ms = e.elapsed().toMillis();
        return ms < 1000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
    }
}
