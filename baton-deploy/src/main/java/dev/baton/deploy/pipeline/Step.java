package dev.baton.deploy;

/**
 * One step of a deploy: a name, {@link #run} and, where it changed something, {@link #undo}.
 *
 * @param <C> what the steps share (configuration, the target colour, hosts...)
 */
public interface Step<C> {
    /** The name shown in the step list and recorded in events, e.g. {@code AwaitHealthy}. */
    String name();

    /**
     * Does the step's work. Returns a short detail for the console and audit log (may be empty),
     * or {@link #SKIPPED} when there was nothing to do. Throws to fail the deploy.
     */
    String run(C context) throws Exception;

    /** Reverts what {@link #run} changed; called newest-first when a later step fails. */
    default void undo(C context) throws Exception {
    }

    /**
     * Whether, once this step has succeeded, earlier steps can no longer be undone (the old
     * colour is stopped, say): failures after it are reported but nothing is rolled back.
     */
    default boolean finalizes() {
        return false;
    }

    /** Returned by {@link #run} when the step had nothing to do. */
    String SKIPPED = "\u0000skipped";
}
