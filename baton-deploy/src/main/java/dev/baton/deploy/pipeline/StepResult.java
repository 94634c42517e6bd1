package dev.baton.deploy.pipeline;

import java.util.concurrent.Callable;

/**
 * How a step that did not fail ended: it did its work, or it had nothing to do, or it goes on
 * beside the steps after it.
 */
public sealed interface StepResult {
    /** @param detail a short line for the console and the audit log (may be empty) */
    record Done(String detail) implements StepResult {
        public Done {
            detail = detail == null ? "" : detail;
        }
    }

    /** Nothing to do (no migrations, no static assets...): shown as skipped. */
    record Skipped() implements StepResult {}

    /**
     * The step goes on beside the steps after it: {@code rest} runs on a thread of its own, and its
     * result (done or skipped; a throw fails the step) is taken just before step {@code until}, as
     * if the step had ended there: a failure then undoes what was done meanwhile too.
     */
    record Beside(String until, Callable<StepResult> rest) implements StepResult {}

    static StepResult done(String detail) {
        return new Done(detail);
    }

    static StepResult skipped() {
        return new Skipped();
    }
}
