package dev.baton.deploy.port;

import java.util.Locale;

/** How a deploy or rollback ended. */
public enum Outcome {
    /** Every step passed. */
    SUCCEEDED,
    /** A step failed before the point of no return and the steps done were undone. */
    ROLLED_BACK,
    /** A step failed and nothing was undone (after DrainAndStop, or before anything changed). */
    FAILED,
    /** Refused before anything started (a wrong --confirm): nothing to undo, nobody to notify. */
    REFUSED,
    /** The new version serves, but a step after the point of no return failed (Cleanup, Release): nothing to undo. */
    DEPLOYED_WITH_FAILURES,
    /** The process running it was killed (kill -9, a crash); found and settled by the next command that took the lock. */
    INTERRUPTED;

    /** As written in the audit log and notices: {@code succeeded}, {@code rolled_back}, {@code failed}, {@code refused}, {@code deployed_with_failures}, {@code interrupted}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
