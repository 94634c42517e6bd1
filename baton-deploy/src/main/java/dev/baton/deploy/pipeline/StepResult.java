package dev.baton.deploy.pipeline;

/** How a step that did not fail ended: it did its work, or it had nothing to do. */
public sealed interface StepResult {
    /** @param detail a short line for the console and the audit log (may be empty) */
    record Done(String detail) implements StepResult {
        public Done {
            detail = detail == null ? "" : detail;
        }
    }

    /** Nothing to do (no migrations, no static assets...): shown as skipped. */
    record Skipped() implements StepResult {}

    static StepResult done(String detail) {
        return new Done(detail);
    }

    static StepResult skipped() {
        return new Skipped();
    }
}
