package dev.baton.deploy.pipeline;

/** A step whose work a failed deploy takes back: {@link Pipeline} calls {@link #undo} newest first. */
public interface Reversible<C> extends Step<C> {
    /**
     * Reverts what {@link #run} changed. Called only after {@code run} succeeded.
     *
     * @return what the undo did where that is more than "undone" (the schema kept, say), for the console; else ""
     */
    String undo(C context) throws Exception;
}
