package dev.baton.deploy.pipeline;

/** A step whose work a failed deploy takes back: {@link Pipeline} calls {@link #undo} newest first. */
public interface Reversible<C> extends Step<C> {
    /** Reverts what {@link #run} changed. Called only after {@code run} succeeded. */
    void undo(C context) throws Exception;
}
