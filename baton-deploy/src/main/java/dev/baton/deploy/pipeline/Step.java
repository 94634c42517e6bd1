package dev.baton.deploy.pipeline;

/**
 * One step of a deploy: a display name and {@link #run}. A step that changes something a failed
 * deploy must take back implements {@link Reversible}.
 *
 * @param <C> what the steps share (configuration, the target colour, hosts...)
 */
public interface Step<C> {
    /** The name shown in the step list and recorded in events, e.g. {@code AwaitHealthy}. */
    String name();

    /** Does the step's work; throws to fail the deploy. */
    StepResult run(C context) throws Exception;

    /**
     * Whether, once this step has succeeded, earlier steps can no longer be undone (the old
     * colour is stopped, say): failures after it are reported but nothing is rolled back.
     */
    default boolean finalizes() {
        return false;
    }

    /**
     * What {@link #run} would do, told without doing anything ({@code baton deploy --plan}): no
     * command runs, nothing is started, switched or written. A step that decides something the
     * later steps need (the colours) records it in the context as {@code run} would.
     */
    default StepPlan plan(C context) {
        return StepPlan.runs(name());
    }
}
