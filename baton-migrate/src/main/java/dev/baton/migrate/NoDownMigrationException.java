package dev.baton.migrate;

import dev.baton.BatonException;
import dev.baton.ExitCode;

/**
 * A downgrade would revert a revision that has no down migration: refused before anything runs
 * (a user's command line, so exit 2). A deploy that meets it while undoing keeps the schema instead.
 */
public final class NoDownMigrationException extends BatonException {
    private final String revision;

    public NoDownMigrationException(String message, String revision) {
        super(ExitCode.USAGE, message);
        this.revision = revision;
    }

    /** The revision without a down migration. */
    public String revision() {
        return revision;
    }
}
